package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestTopics;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An API instance that dies without leaving the group (SIGKILL: no LeaveGroup is ever sent) holds its share of the
 * alert topic until its session expires. With Kafka's default 45 s session the surviving instance took nothing over
 * for 45 s; with the consumer's own session timeout it takes over within it.
 */
@ExtendWith(SharedInfra.class)
class AlertConsumerFailoverTest {

    private static final String TOPIC = "failover.alerts";
    private static final String GROUP = "failover-api";

    @Test
    void aSurvivorTakesOverTheShareOfAnInstanceThatDiedWithoutLeaving(EmbeddedKafkaBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TestTopics.create(admin, List.of(new NewTopic(TOPIC, 4, (short) 1)));
        }
        KafkaConsumer<byte[], byte[]> dying = consumer(bootstrap);
        try (KafkaConsumer<byte[], byte[]> survivor = consumer(bootstrap)) {
            dying.subscribe(List.of(TOPIC));
            survivor.subscribe(List.of(TOPIC));
            // both in the group, each with a share
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((dying.assignment().isEmpty() || survivor.assignment().isEmpty()) && System.nanoTime() < deadline) {
                dying.poll(Duration.ofMillis(100));
                survivor.poll(Duration.ofMillis(100));
            }
            assertThat(dying.assignment()).isNotEmpty();
            assertThat(survivor.assignment()).isNotEmpty();

            // gone as a SIGKILL leaves it: no LeaveGroup, the group only learns from the missing heartbeats
            dying.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
            long diedAt = System.nanoTime();
            Set<TopicPartition> all = Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
                    new TopicPartition(TOPIC, 2), new TopicPartition(TOPIC, 3));
            // a bound between the consumer's session timeout (10 s) and Kafka's default (45 s), with room for a busy
            // machine: before, this waited the whole 45 s
            Duration bound = AlertConsumer.SESSION_TIMEOUT.multipliedBy(3);
            while (!survivor.assignment().equals(all) && System.nanoTime() - diedAt < bound.toNanos()) {
                survivor.poll(Duration.ofMillis(200));
            }
            assertThat(survivor.assignment()).as("the survivor's partitions %s after %s", survivor.assignment(),
                    bound).isEqualTo(all);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(AlertConsumer.consumerProperties(bootstrap, GROUP), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
