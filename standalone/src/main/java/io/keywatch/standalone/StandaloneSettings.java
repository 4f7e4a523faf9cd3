package io.keywatch.standalone;

import io.keywatch.api.http.HttpListenerSettings;
import io.keywatch.events.Env;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the standalone keeps its data and which ports it binds. Read from the environment; the command line
 * overrides single values.
 *
 * @param kafkaPort      the embedded broker's client port (any Kafka client can publish there)
 * @param controllerPort the embedded KRaft controller's port
 * @param postgresPort   the embedded PostgreSQL's port
 * @param httpPort       the API's port
 * @param httpHost       the address the API binds ({@code KEYWATCH_HTTP_HOST}): loopback unless told otherwise, since
 *                       a laptop's keywatch is nobody else's business
 */
public record StandaloneSettings(Path dataDir, int kafkaPort, int controllerPort, int postgresPort, int httpPort,
                                 String httpHost) {

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_HTTP_HOST = HttpListenerSettings.LOOPBACK;

    public StandaloneSettings {
        Env.requireText(httpHost, "KEYWATCH_HTTP_HOST");
        checkPort("Kafka port", kafkaPort);
        checkPort("controller port", controllerPort);
        checkPort("PostgreSQL port", postgresPort);
        checkPort("HTTP port", httpPort);
    }

    /** Listening on loopback. */
    public StandaloneSettings(Path dataDir, int kafkaPort, int controllerPort, int postgresPort, int httpPort) {
        this(dataDir, kafkaPort, controllerPort, postgresPort, httpPort, DEFAULT_HTTP_HOST);
    }

    public static StandaloneSettings fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        int kafkaPort = env.port("KEYWATCH_KAFKA_PORT", DEFAULT_KAFKA_PORT);
        return new StandaloneSettings(
                Path.of(env.text("KEYWATCH_DATA_DIR", "keywatch-data")),
                kafkaPort,
                env.port("KEYWATCH_KAFKA_CONTROLLER_PORT", kafkaPort == 0 ? 0 : kafkaPort + 1),
                env.port("KEYWATCH_POSTGRES_PORT", 5433),
                env.port("KEYWATCH_HTTP_PORT", DEFAULT_HTTP_PORT),
                env.text("KEYWATCH_HTTP_HOST", DEFAULT_HTTP_HOST));
    }

    public StandaloneSettings withDataDir(Path dir) {
        return new StandaloneSettings(dir, kafkaPort, controllerPort, postgresPort, httpPort, httpHost);
    }

    public StandaloneSettings withKafkaPort(int port) {
        return new StandaloneSettings(dataDir, port, port == 0 ? 0 : port + 1, postgresPort, httpPort, httpHost);
    }

    public StandaloneSettings withPostgresPort(int port) {
        return new StandaloneSettings(dataDir, kafkaPort, controllerPort, port, httpPort, httpHost);
    }

    public StandaloneSettings withHttpPort(int port) {
        return new StandaloneSettings(dataDir, kafkaPort, controllerPort, postgresPort, port, httpHost);
    }

    private static void checkPort(String what, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " must be between 0 and 65535 (0 = any free port), got " + port);
        }
    }
}
