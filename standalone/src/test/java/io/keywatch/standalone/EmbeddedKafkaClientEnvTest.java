package io.keywatch.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaClientEnvTest {

    @Test
    void dropsSecuritySettingsMeantForAnExternalClusterAndKeepsTuning() {
        Map<String, String> env = new HashMap<>(Map.of(
                "KEYWATCH_KAFKA_CONFIG_SECURITY_PROTOCOL", "SASL_SSL",
                "KEYWATCH_KAFKA_CONFIG_SASL_JAAS_CONFIG", "ScramLoginModule required password=\"hunter2\";",
                "KEYWATCH_API_KAFKA_CONFIG_SSL_TRUSTSTORE_LOCATION", "/etc/ts.p12",
                "KEYWATCH_STREAMS_CONFIG_PRODUCER_SASL_MECHANISM", "SCRAM-SHA-512",
                "KEYWATCH_STREAMS_CONFIG_PRODUCER_COMPRESSION_TYPE", "zstd",
                "KEYWATCH_KAFKA_CONFIG_LINGER_MS", "5",
                "KEYWATCH_KAFKA_BOOTSTRAP", "kafka:9093"));

        assertThat(EmbeddedKafkaClientEnv.dropSecurity(env)).containsExactly(
                "KEYWATCH_API_KAFKA_CONFIG_SSL_TRUSTSTORE_LOCATION", "KEYWATCH_KAFKA_CONFIG_SASL_JAAS_CONFIG",
                "KEYWATCH_KAFKA_CONFIG_SECURITY_PROTOCOL", "KEYWATCH_STREAMS_CONFIG_PRODUCER_SASL_MECHANISM");
        assertThat(env).containsOnlyKeys("KEYWATCH_STREAMS_CONFIG_PRODUCER_COMPRESSION_TYPE",
                "KEYWATCH_KAFKA_CONFIG_LINGER_MS", "KEYWATCH_KAFKA_BOOTSTRAP");
    }
}
