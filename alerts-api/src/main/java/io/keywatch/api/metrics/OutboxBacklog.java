package io.keywatch.api.metrics;

import io.keywatch.api.db.LoggedFailure;
import io.keywatch.api.webhooks.DeliveryStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook outbox's depth as gauges, sampled in the background (a scrape never waits on PostgreSQL):
 * {@code keywatch_webhook_outbox_pending} (deliveries waiting) and {@code keywatch_webhook_outbox_oldest_age_seconds}
 * (how long the oldest has waited; 0 when none). NaN until the first sample, and again when sampling fails.
 */
public final class OutboxBacklog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxBacklog.class);

    private final DeliveryStore store;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private volatile DeliveryStore.Backlog last;
    private long failures;

    public OutboxBacklog(DeliveryStore store, MeterRegistry registry, Clock clock) {
        this.store = store;
        this.clock = clock;
        Gauge.builder("keywatch.webhook.outbox.pending", this,
                        b -> b.last == null ? Double.NaN : b.last.pending())
                .description("Webhook deliveries waiting in the outbox (PENDING)")
                .register(registry);
        Gauge.builder("keywatch.webhook.outbox.oldest.age", this, OutboxBacklog::oldestAgeSeconds)
                .description("How long the oldest waiting webhook delivery has waited")
                .baseUnit("seconds")
                .register(registry);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keywatch-outbox-metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /** Samples now, then every {@code period}. */
    public OutboxBacklog start(Duration period) {
        timer.scheduleWithFixedDelay(this::sample, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    void sample() {
        try {
            last = store.backlog();
        } catch (RuntimeException e) {
            last = null;
            // a throw would cancel the schedule; the log says so once per power of two
            if (Long.bitCount(++failures) == 1) {
                LOG.warn("Could not measure the webhook outbox ({} time(s) so far): {}", failures,
                        LoggedFailure.describe(e));
            }
        }
    }

    private double oldestAgeSeconds() {
        DeliveryStore.Backlog backlog = last;
        if (backlog == null) {
            return Double.NaN;
        }
        Instant oldest = backlog.oldestQueuedAt();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
