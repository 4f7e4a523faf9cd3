package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KafkaClientConfigTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"api\" password=\"hunter2\";";

    @Test
    void readsTheCommonSettingsAndTheComponentsOwnOverThem() {
        KafkaClientConfig config = KafkaClientConfig.fromEnv(Map.of(
                "KEYWATCH_KAFKA_CONFIG_SECURITY_PROTOCOL", "SASL_SSL",
                "KEYWATCH_KAFKA_CONFIG_SASL_MECHANISM", "SCRAM-SHA-512",
                "KEYWATCH_KAFKA_CONFIG_SSL_TRUSTSTORE_LOCATION", " /etc/kafka/truststore.p12 ",
                "KEYWATCH_API_KAFKA_CONFIG_SASL_MECHANISM", "SCRAM-SHA-256",
                "KEYWATCH_API_KAFKA_CONFIG_SASL_JAAS_CONFIG", JAAS,
                "KEYWATCH_OTHER_KAFKA_CONFIG_LINGER_MS", "7",
                "KEYWATCH_KAFKA_CONFIG_", "ignored",
                "KEYWATCH_KAFKA_CONFIG_SASL_KERBEROS_SERVICE_NAME", " "), "KEYWATCH_API_KAFKA_CONFIG_");

        assertThat(config.settings()).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-256"),
                Map.entry("ssl.truststore.location", "/etc/kafka/truststore.p12"),
                Map.entry("sasl.jaas.config", JAAS));
        Properties props = new Properties();
        props.put("sasl.mechanism", "PLAIN");
        props.put("client.id", "x");
        assertThat(config.applyTo(props)).containsEntry("sasl.mechanism", "SCRAM-SHA-256").containsEntry("client.id", "x");
    }

    @Test
    void refusesSettingsKeywatchOwnsNamingTheVariable() {
        for (String name : new String[] {"KEYWATCH_KAFKA_CONFIG_BOOTSTRAP_SERVERS", "KEYWATCH_KAFKA_CONFIG_GROUP_ID",
                "KEYWATCH_API_KAFKA_CONFIG_ISOLATION_LEVEL", "KEYWATCH_API_KAFKA_CONFIG_ENABLE_AUTO_COMMIT",
                "KEYWATCH_KAFKA_CONFIG_TRANSACTIONAL_ID", "KEYWATCH_KAFKA_CONFIG_VALUE_DESERIALIZER",
                "KEYWATCH_API_KAFKA_CONFIG_KEY_SERIALIZER"}) {
            assertThatThrownBy(() -> KafkaClientConfig.fromEnv(Map.of(name, "x"), "KEYWATCH_API_KAFKA_CONFIG_"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(name + " would set ");
        }
        assertThatThrownBy(() -> KafkaClientConfig.fromEnv(Map.of("KEYWATCH_KAFKA_CONFIG_CLIENT_ID", "x"), null,
                Set.of("client.id")))
                .hasMessageContaining("KEYWATCH_KAFKA_CONFIG_CLIENT_ID would set client.id");
    }

    @Test
    void neverShowsAValueNotEvenInAnError() {
        KafkaClientConfig config = KafkaClientConfig.fromEnv(Map.of(
                "KEYWATCH_KAFKA_CONFIG_SASL_JAAS_CONFIG", JAAS,
                "KEYWATCH_KAFKA_CONFIG_SSL_KEYSTORE_PASSWORD", "hunter3"), null);
        assertThat(config.toString()).contains("sasl.jaas.config", "ssl.keystore.password")
                .doesNotContain("hunter2", "hunter3");
        assertThatThrownBy(() -> KafkaClientConfig.fromEnv(Map.of("KEYWATCH_KAFKA_CONFIG_GROUP_ID", "hunter2"), null))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }
}
