package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupMembershipTest {

    @TempDir
    Path dir;

    @Test
    void defaultsToAnIdMadeAtStartKafkasSessionTimeoutAndLeavingOnClose() {
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of());

        assertThat(settings.membership()).isEqualTo(new GroupMembership(null, Duration.ofSeconds(45), true));
        assertThat(settings.toProperties()).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000);
    }

    @Test
    void readsTheInstanceIdSessionTimeoutAndLeaveSwitchFromTheEnvironment() {
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of(
                "KEYWATCH_STREAMS_INSTANCE_ID", "streams-eu-1",
                "KEYWATCH_STREAMS_SESSION_TIMEOUT_SECONDS", "120",
                "KEYWATCH_STREAMS_LEAVE_GROUP_ON_CLOSE", "false"));

        assertThat(settings.membership())
                .isEqualTo(new GroupMembership("streams-eu-1", Duration.ofSeconds(120), false));
        Properties props = settings.toProperties();
        assertThat(props).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "streams-eu-1")
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 120_000);
        // Kafka Streams gives each stream thread's main consumer the id with its thread number, and no other client
        StreamsConfig config = new StreamsConfig(props);
        assertThat(config.getMainConsumerConfigs("g", "c", 1)).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                "streams-eu-1-1");
        assertThat(config.getRestoreConsumerConfigs("c")).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void refusesIdsKafkaWouldRefuseAndSessionsTheBrokerWouldRefuseQuotingSafely() {
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_INSTANCE_ID", "a b\u001b[31m")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_STREAMS_INSTANCE_ID")
                .hasMessageNotContaining("\u001b");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_INSTANCE_ID", "x".repeat(201))))
                .hasMessageContaining("KEYWATCH_STREAMS_INSTANCE_ID");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_SESSION_TIMEOUT_SECONDS", "5")))
                .hasMessageContaining("KEYWATCH_STREAMS_SESSION_TIMEOUT_SECONDS");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_LEAVE_GROUP_ON_CLOSE", "maybe")))
                .hasMessageContaining("KEYWATCH_STREAMS_LEAVE_GROUP_ON_CLOSE");
    }

    @Test
    void refusesToLetThePassThroughSetTheMembership() {
        for (String name : new String[] {"KEYWATCH_STREAMS_CONFIG_GROUP_INSTANCE_ID",
                "KEYWATCH_STREAMS_CONFIG_MAIN_CONSUMER_GROUP_INSTANCE_ID", "KEYWATCH_STREAMS_CONFIG_SESSION_TIMEOUT_MS",
                "KEYWATCH_STREAMS_CONFIG_CONSUMER_SESSION_TIMEOUT_MS"}) {
            assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of(name, "x")))
                    .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
        }
    }

    @Test
    void keepsTheDefaultIdInTheStateDirSoThatARestartHasTheSameAndAnotherInstanceAnother() throws Exception {
        GroupMembership membership = GroupMembership.defaults();

        GroupMembership first = membership.resolved(dir.resolve("a"), () -> "Host_Name.example");
        GroupMembership again = membership.resolved(dir.resolve("a"), () -> "renamed-host");
        GroupMembership other = membership.resolved(dir.resolve("b"), () -> "Host_Name.example");

        assertThat(first.instanceId()).matches("keywatch-host-name\\.example-[0-9a-f]{8}");
        assertThat(again).isEqualTo(first);
        assertThat(other.instanceId()).startsWith("keywatch-host-name.example-").isNotEqualTo(first.instanceId());
        assertThat(Files.readString(dir.resolve("a").resolve(GroupMembership.INSTANCE_ID_FILE)).strip())
                .isEqualTo(first.instanceId());
        // a configured id wins and writes nothing
        GroupMembership set = new GroupMembership("set-1", Duration.ofSeconds(45), true)
                .resolved(dir.resolve("c"), () -> "h");
        assertThat(set.instanceId()).isEqualTo("set-1");
        assertThat(dir.resolve("c")).doesNotExist();
    }

    @Test
    void refusesACorruptedIdFileRatherThanJoiningWithIt() throws Exception {
        Files.createDirectories(dir.resolve("s"));
        Files.writeString(dir.resolve("s").resolve(GroupMembership.INSTANCE_ID_FILE), "bad id\u0000");

        assertThatThrownBy(() -> GroupMembership.defaults().resolved(dir.resolve("s"), () -> "h"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("KEYWATCH_STREAMS_INSTANCE_ID")
                .hasMessageNotContaining("\u0000");
    }
}
