package io.keywatch.client.keystatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KeyStatusCacheSettingsTest {

    @Test
    void defaultsFollowTheDefaultKeyStateTopicOnLocalKafka() {
        KeyStatusCacheSettings settings = KeyStatusCacheSettings.fromEnv(Map.of());

        assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.topic()).isEqualTo("keywatch.key-state");
        assertThat(settings.clientId()).isEqualTo("keywatch-key-status-cache");
    }

    @Test
    void readsBootstrapTopicClientIdAndConsumerOverrides() {
        KeyStatusCacheSettings settings = KeyStatusCacheSettings.fromEnv(Map.of(
                "KEYWATCH_KAFKA_BOOTSTRAP", "kafka-1:9092,kafka-2:9092",
                "KEYWATCH_TOPIC_KEY_STATE", "acme.key-state",
                "KEYWATCH_KEY_STATUS_CLIENT_ID", "billing-gateway",
                "KEYWATCH_KEY_STATUS_KAFKA_SECURITY_PROTOCOL", "SSL",
                "KEYWATCH_KEY_STATUS_KAFKA_SSL_TRUSTSTORE_PASSWORD", "hunter2"));

        Properties props = settings.consumerProperties();

        assertThat(settings.topic()).isEqualTo("acme.key-state");
        assertThat(props).containsEntry("bootstrap.servers", "kafka-1:9092,kafka-2:9092")
                .containsEntry("client.id", "billing-gateway")
                .containsEntry("security.protocol", "SSL");
        assertThat(settings.toString()).contains("ssl.truststore.password").doesNotContain("hunter2");
    }

    @Test
    void overridesCannotBreakWhatTheCacheReliesOn() {
        for (String name : new String[] {"KEYWATCH_KEY_STATUS_KAFKA_ISOLATION_LEVEL", "KEYWATCH_KEY_STATUS_KAFKA_GROUP_ID",
                "KEYWATCH_KEY_STATUS_KAFKA_ENABLE_AUTO_COMMIT", "KEYWATCH_KAFKA_CONFIG_ISOLATION_LEVEL"}) {
            assertThatThrownBy(() -> KeyStatusCacheSettings.fromEnv(Map.of(name, "read_uncommitted")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(name + " would set ");
        }
        // given in code, they are overwritten
        KeyStatusCacheSettings settings = new KeyStatusCacheSettings("localhost:9092", "keywatch.key-state", "c",
                Duration.ofMillis(100), Map.of("isolation.level", "read_uncommitted", "group.id", "shared-group",
                        "enable.auto.commit", "true"), null);

        Properties props = settings.consumerProperties();

        assertThat(props).containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", "false")
                .containsEntry("allow.auto.create.topics", "false")
                .doesNotContainKey("group.id");
    }

    @Test
    void takesTheCommonKafkaSettingsUnderItsOwn() {
        Properties props = KeyStatusCacheSettings.fromEnv(Map.of(
                "KEYWATCH_KAFKA_CONFIG_SECURITY_PROTOCOL", "SASL_SSL",
                "KEYWATCH_KAFKA_CONFIG_SASL_MECHANISM", "SCRAM-SHA-512",
                "KEYWATCH_KEY_STATUS_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")).consumerProperties();
        assertThat(props).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-256");
    }

    @Test
    void refusesBlankValues() {
        assertThatThrownBy(() -> KeyStatusCacheSettings.of(" ")).hasMessage("bootstrapServers must not be blank");
        assertThatThrownBy(() -> KeyStatusCacheSettings.of("localhost:9092").withTopic(""))
                .hasMessage("topic must not be blank");
    }
}
