package io.keywatch.api.kafka;

import io.keywatch.api.db.LoggedFailure;
import io.keywatch.events.SafeText;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;

/**
 * The life of one of the API's Kafka intake loops (alerts, key scopes): its own thread, stopped by {@link #close()}
 * through the consumer's wakeup; an unexpected error ends the loop with its reason kept for /health, never silently;
 * whatever happens, the loop's resources are closed once, and a back-off pause ends early when the loop is asked to
 * stop. What the loop does with its records is its owner's business.
 */
public final class ConsumerThread {

    /** The loop's body: polls and handles until {@link ConsumerThread#running()} turns false. */
    @FunctionalInterface
    public interface Loop {
        void run();
    }

    private final String what;
    private final Logger log;
    private final Consumer<?, ?> consumer;
    private final Runnable closeResources;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean started = new AtomicBoolean(false);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String stoppedBecause;
    private volatile KafkaClientMetrics clientMetrics;

    /**
     * @param what           how logs name the loop, e.g. "Alert consumer"
     * @param closeResources closes the consumer and whatever else the loop owns; called once, on the loop's thread
     *                       when it ran, else by {@link #close()}
     */
    public ConsumerThread(String threadName, String what, Logger log, Consumer<?, ?> consumer,
                          Runnable closeResources, Loop loop) {
        this.what = what;
        this.log = log;
        this.consumer = consumer;
        this.closeResources = closeResources;
        this.thread = new Thread(() -> run(loop), threadName);
    }

    /**
     * Binds the consumer's own Kafka client metrics (fetch rate, records-lag-max, ...) into {@code registry}, tagged
     * {@code client=<client>}; unbound when the loop's resources close. Before {@link #start()}.
     */
    public void bindMetrics(MeterRegistry registry, String client) {
        KafkaClientMetrics bound = new KafkaClientMetrics(consumer, Tags.of("client", client));
        bound.bindTo(registry);
        clientMetrics = bound;
    }

    public void start() {
        started.set(true);
        thread.start();
    }

    /** False once {@link #close()} was called: the loop is to return. */
    public boolean running() {
        return running.get();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Why the loop ended; empty while it runs (or before it started). */
    public Optional<String> stoppedBecause() {
        return thread.isAlive() || !started.get() ? Optional.empty()
                : Optional.ofNullable(stoppedBecause).or(() -> Optional.of("stopped"));
    }

    /** Sleeps {@code duration} in short steps, so that {@link #close()} is not held up by a long back-off. */
    public void pause(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (running.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Pauses for the back-off's current length, which then grows for the next failure. */
    public void pause(Backoff backoff) {
        pause(backoff.current());
        backoff.grow();
    }

    private void run(Loop loop) {
        try {
            loop.run();
        } catch (WakeupException | InterruptException e) {
            if (running.get()) {
                stoppedBecause = "interrupted unexpectedly";
                log.error("{} interrupted unexpectedly", what, LoggedFailure.of(e));
            }
        } catch (RuntimeException | Error e) {
            stoppedBecause = SafeText.describe(e, 200);
            log.error("{} stopped on an unexpected error", what, LoggedFailure.of(e));
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            closeAll();
            stoppedBecause = stoppedBecause == null ? "closed" : stoppedBecause;
            stopped.countDown();
        }
    }

    /** Stops the loop (its current batch is abandoned, uncommitted, so it is read again) and closes its resources. */
    public void close() {
        running.set(false);
        if (!started.get()) {
            closeAll();
            return;
        }
        consumer.wakeup();
        try {
            if (thread.isAlive() && !stopped.await(15, TimeUnit.SECONDS)) {
                log.warn("{} did not stop within 15 s", what);
            }
            // the latch opens in the loop's finally block; the thread ends right after
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeAll() {
        KafkaClientMetrics bound = clientMetrics;
        if (bound != null) {
            bound.close();
        }
        closeResources.run();
    }
}
