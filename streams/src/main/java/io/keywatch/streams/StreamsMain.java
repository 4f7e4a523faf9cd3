package io.keywatch.streams;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the streams service on its own, configured by environment variables (see {@link StreamsSettings}). */
public final class StreamsMain {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsMain.class);

    private StreamsMain() {
    }

    public static void main(String[] args) {
        StreamsSettings settings;
        try {
            settings = StreamsSettings.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            LOG.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        KeywatchStreamsService service = new KeywatchStreamsService(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } finally {
                stopped.countDown();
            }
        }, "keywatch-streams-shutdown"));
        try {
            service.start();
        } catch (RuntimeException e) {
            LOG.error("keywatch streams could not start against Kafka at {}", settings.bootstrapServers(), e);
            System.exit(1);
            return;
        }
        LOG.info("keywatch streams started: reading {}, writing alerts to {} and rejects to {}",
                settings.topics().usageEvents(), settings.topics().alerts(), settings.topics().usageEventsDlq());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted; shutting down");
            service.close();
        }
    }
}
