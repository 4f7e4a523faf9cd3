package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeywatchStreamsServiceTest {

    @TempDir
    Path stateDir;

    @Test
    void reportsCreatedAndRefusesQueriesBeforeStart() {
        try (KeywatchStreamsService service = new KeywatchStreamsService(settings())) {
            assertThat(service.state()).isEqualTo(KafkaStreams.State.CREATED);
            assertThat(service.isRunning()).isFalse();
            assertThatThrownBy(() -> service.recentUsage("key-1", Instant.EPOCH, Instant.now()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not started");
        }
    }

    @Test
    void kafkaStreamsAcceptsTheTopologyWithTheGeneratedProperties() {
        StreamsSettings settings = settings();
        // construction validates the configuration and the topology without contacting a broker
        KafkaStreams streams = new KafkaStreams(KeywatchTopology.build(settings), settings.toProperties());
        try {
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.CREATED);
        } finally {
            streams.close();
        }
    }

    private StreamsSettings settings() {
        return StreamsSettings.fromEnv(Map.of("KEYWATCH_KAFKA_BOOTSTRAP", "localhost:1")).withStateDir(stateDir);
    }
}
