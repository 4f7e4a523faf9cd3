package io.keywatch.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandaloneSettingsTest {

    @Test
    void defaultsToTheDocumentedPortsAndFolder() {
        StandaloneSettings settings = StandaloneSettings.fromEnv(Map.of());
        assertThat(settings.dataDir()).isEqualTo(Path.of("keywatch-data"));
        assertThat(settings.kafkaPort()).isEqualTo(9092);
        assertThat(settings.controllerPort()).isEqualTo(9093);
        assertThat(settings.postgresPort()).isEqualTo(5433);
        assertThat(settings.httpPort()).isEqualTo(8080);
        assertThat(settings.httpHost()).as("loopback only unless told otherwise").isEqualTo("127.0.0.1");
    }

    @Test
    void listensWhereKeywatchHttpHostSays() {
        assertThat(StandaloneSettings.fromEnv(Map.of("KEYWATCH_HTTP_HOST", "0.0.0.0")).httpHost())
                .isEqualTo("0.0.0.0");
        assertThat(StandaloneSettings.fromEnv(Map.of()).withHttpPort(0).httpHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void readsOverridesFromTheEnvironment() {
        StandaloneSettings settings = StandaloneSettings.fromEnv(Map.of(
                "KEYWATCH_DATA_DIR", "/var/lib/keywatch", "KEYWATCH_KAFKA_PORT", "19092",
                "KEYWATCH_POSTGRES_PORT", "0", "KEYWATCH_HTTP_PORT", "18080"));
        assertThat(settings.dataDir()).isEqualTo(Path.of("/var/lib/keywatch"));
        assertThat(settings.kafkaPort()).isEqualTo(19092);
        assertThat(settings.controllerPort()).isEqualTo(19093);
        assertThat(settings.postgresPort()).isZero();
        assertThat(settings.httpPort()).isEqualTo(18080);
    }

    @Test
    void aBlankDataDirKeepsTheDefaultRatherThanTheWorkingDirectory() {
        assertThat(StandaloneSettings.fromEnv(Map.of("KEYWATCH_DATA_DIR", "  ")).dataDir())
                .isEqualTo(Path.of("keywatch-data"));
    }

    @Test
    void commandLineOverridesWin() {
        StandaloneSettings settings = StandaloneSettings.fromEnv(Map.of()).withKafkaPort(0).withHttpPort(9999);
        assertThat(settings.kafkaPort()).isZero();
        assertThat(settings.controllerPort()).isZero();
        assertThat(settings.httpPort()).isEqualTo(9999);
    }

    @Test
    void rejectsPortsThatAreNotPorts() {
        assertThatThrownBy(() -> StandaloneSettings.fromEnv(Map.of("KEYWATCH_HTTP_PORT", "eighty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("KEYWATCH_HTTP_PORT must be a port number, got 'eighty'");
        assertThatThrownBy(() -> StandaloneSettings.fromEnv(Map.of("KEYWATCH_KAFKA_PORT", "70000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Kafka port must be between 0 and 65535");
    }
}
