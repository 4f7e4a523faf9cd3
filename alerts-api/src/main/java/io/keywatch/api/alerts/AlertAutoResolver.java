package io.keywatch.api.alerts;

import io.keywatch.api.db.LoggedFailure;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves alerts that stayed quiet (no occurrence) for a configured period, as {@code system} with resolution
 * {@code auto_resolved}, so that a recurrence after a quiet spell opens a new alert instead of reviving an old one.
 * Checks every quarter of the period (between 1 s and 1 min); a failed run is logged and retried by the next.
 */
public final class AlertAutoResolver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertAutoResolver.class);

    private final AlertStore store;
    private final Duration quiet;
    private final ScheduledExecutorService scheduler;

    public AlertAutoResolver(AlertStore store, Duration quiet) {
        if (quiet.isZero() || quiet.isNegative()) {
            throw new IllegalArgumentException("the quiet period must be positive, got " + quiet);
        }
        this.store = store;
        this.quiet = quiet;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "keywatch-alert-auto-resolve");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** How often the job runs for a quiet period. */
    static Duration interval(Duration quiet) {
        Duration quarter = quiet.dividedBy(4);
        if (quarter.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return quarter.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : quarter;
    }

    public AlertAutoResolver start() {
        long every = interval(quiet).toMillis();
        scheduler.scheduleWithFixedDelay(this::runSafely, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One run; returns how many alerts it resolved. */
    public int runOnce() {
        int resolved = store.autoResolve(quiet);
        if (resolved > 0) {
            LOG.info("Auto-resolved {} alert(s) quiet for {}", resolved, AlertStore.describe(quiet));
        }
        return resolved;
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("Auto-resolve run failed, retrying at the next one: {}", LoggedFailure.describe(e));
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
