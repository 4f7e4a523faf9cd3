package io.keywatch.simulator;

import io.keywatch.events.KafkaClientConfig;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.client.PublisherSettings;
import io.keywatch.client.UsageEventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the simulator on its own against the Kafka at {@code KEYWATCH_KAFKA_BOOTSTRAP}: creates missing topics,
 * backfills {@code KEYWATCH_SIM_BACKFILL_MINUTES} of history, then simulates in real time with a demo incident
 * every {@code KEYWATCH_SIM_INCIDENT_INTERVAL_SECONDS}, until Ctrl-C. Topics are created with
 * {@code KEYWATCH_TOPIC_PARTITIONS} (default 3) partitions and {@code KEYWATCH_TOPIC_REPLICATION_FACTOR} (default 1).
 * Logs through SLF4J: put a provider such as logback on the class path to see them.
 */
public final class SimulatorMain {

    private static final Logger log = LoggerFactory.getLogger(SimulatorMain.class);

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        SimulatorSettings settings;
        PublisherSettings publisherSettings;
        int partitions;
        short replicationFactor;
        try {
            settings = SimulatorSettings.fromEnv(env);
            publisherSettings = PublisherSettings.fromEnv(env);
            partitions = intEnv(env, "KEYWATCH_TOPIC_PARTITIONS", 3);
            replicationFactor = (short) intEnv(env, "KEYWATCH_TOPIC_REPLICATION_FACTOR", 1);
        } catch (IllegalArgumentException e) {
            log.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        try {
            new TopicProvisioner(publisherSettings.bootstrapServers(),
                    new KafkaClientConfig(publisherSettings.producerOverrides()).only(AdminClientConfig.configNames()),
                    Duration.ofSeconds(30)).ensure(
                    publisherSettings.topics(), partitions, replicationFactor);
        } catch (RuntimeException e) {
            log.error("cannot prepare topics at {}: {}", publisherSettings.bootstrapServers(), e.getMessage());
            System.exit(1);
            return;
        }

        UsageEventPublisher publisher = new UsageEventPublisher(publisherSettings);
        SimulatorService service = new SimulatorService(settings, publisher, Clock.systemUTC(),
                Duration.ofSeconds(10), incident -> { });
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean shuttingDown = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shuttingDown.set(true);
            log.info("stopping simulator");
            try {
                service.close();
                publisher.close(Duration.ofSeconds(10));
            } finally {
                stopped.countDown();
            }
        }, "keywatch-simulator-shutdown"));

        log.info("simulating {} keys (seed {}) into {} at {}; Ctrl-C to stop",
                settings.keys(), settings.seed(), publisher.topic(), publisherSettings.bootstrapServers());
        try {
            service.start();
        } catch (RuntimeException e) {
            if (shuttingDown.get()) {
                return; // Ctrl-C during the backfill: the shutdown hook has closed everything
            }
            throw e;
        }
        stopped.await();
    }

    private static int intEnv(Map<String, String> env, String name, int fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + raw + "'", e);
        }
    }
}
