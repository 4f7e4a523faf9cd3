package io.keywatch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.Topics;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class PublisherSettingsTest {

    @Test
    void defaultsToLocalKafkaAndDocumentedTopic() {
        PublisherSettings settings = PublisherSettings.fromEnv(Map.of());

        assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.topics()).isEqualTo(Topics.DEFAULTS);
        assertThat(settings.topics().usageEvents()).isEqualTo("keywatch.usage-events");
        assertThat(settings.clientId()).isEqualTo("keywatch-publisher");
        assertThat(settings.producerOverrides()).isEmpty();
    }

    @Test
    void readsBootstrapTopicClientIdAndProducerPropertiesFromEnv() {
        PublisherSettings settings = PublisherSettings.fromEnv(Map.of(
                "KEYWATCH_KAFKA_BOOTSTRAP", "kafka-1:9092,kafka-2:9092",
                "KEYWATCH_TOPIC_USAGE_EVENTS", "team-a.usage",
                "KEYWATCH_PUBLISHER_CLIENT_ID", "checkout-service",
                "KEYWATCH_PUBLISHER_KAFKA_LINGER_MS", "20",
                "KEYWATCH_PUBLISHER_KAFKA_SECURITY_PROTOCOL", "SSL",
                "UNRELATED", "x"));

        assertThat(settings.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(settings.topics().usageEvents()).isEqualTo("team-a.usage");
        assertThat(settings.clientId()).isEqualTo("checkout-service");
        assertThat(settings.producerOverrides())
                .containsExactlyInAnyOrderEntriesOf(Map.of("linger.ms", "20", "security.protocol", "SSL"));
    }

    @Test
    void takesTheCommonKafkaSettingsUnderItsOwnAndRefusesWhatItOwns() {
        Properties props = PublisherSettings.fromEnv(Map.of(
                "KEYWATCH_KAFKA_CONFIG_SECURITY_PROTOCOL", "SASL_SSL",
                "KEYWATCH_KAFKA_CONFIG_LINGER_MS", "10",
                "KEYWATCH_PUBLISHER_KAFKA_LINGER_MS", "20")).producerProperties();
        assertThat(props).containsEntry("security.protocol", "SASL_SSL").containsEntry("linger.ms", "20");
        for (String name : new String[] {"KEYWATCH_PUBLISHER_KAFKA_ACKS", "KEYWATCH_KAFKA_CONFIG_ENABLE_IDEMPOTENCE",
                "KEYWATCH_PUBLISHER_KAFKA_BOOTSTRAP_SERVERS", "KEYWATCH_KAFKA_CONFIG_TRANSACTIONAL_ID"}) {
            assertThatThrownBy(() -> PublisherSettings.fromEnv(Map.of(name, "1")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(name + " would set ");
        }
    }

    @Test
    void blankBootstrapFallsBackToDefault() {
        assertThat(PublisherSettings.fromEnv(Map.of("KEYWATCH_KAFKA_BOOTSTRAP", " ")).bootstrapServers())
                .isEqualTo("localhost:9092");
    }

    @Test
    void producerIsIdempotentWaitsForAllReplicasAndCompresses() {
        Properties props = PublisherSettings.of("broker:9092").producerProperties();

        assertThat(props)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "5")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "keywatch-publisher");
    }

    @Test
    void overridesApplyButCannotChangeTheWireFormat() {
        Properties props = PublisherSettings.of("broker:9092")
                .withProducerProperty(ProducerConfig.LINGER_MS_CONFIG, "50")
                .withProducerProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "com.example.Other")
                .producerProperties();

        assertThat(props)
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "50")
                .containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                .containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }

    @Test
    void toStringNeverShowsProducerPropertyValues() {
        PublisherSettings settings = PublisherSettings.fromEnv(Map.of(
                "KEYWATCH_PUBLISHER_KAFKA_SASL_JAAS_CONFIG", "PlainLoginModule required password=\"hunter2\";"));

        assertThat(settings.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
    }

    @Test
    void rejectsBlankBootstrapServers() {
        assertThatThrownBy(() -> PublisherSettings.of(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrapServers");
    }
}
