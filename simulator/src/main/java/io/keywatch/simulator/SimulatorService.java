package io.keywatch.simulator;

import io.keywatch.events.UsageEvent;
import io.keywatch.client.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator as a service, as {@link SimulatorMain} and the standalone run it: backfill the configured history
 * (so that baselines are warm), then real-time traffic with a demo incident every interval, logging progress.
 */
public final class SimulatorService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatorService.class);

    private final SimulatorSettings settings;
    private final EventSink sink;
    private final Clock clock;
    private final Duration progressInterval;
    private final Consumer<Incident> onIncident;
    private final TrafficModel model;
    private final TrafficSimulator simulator;
    private final ScheduledExecutorService progress;

    /**
     * @param progressInterval how often to log the event rate; zero for never
     * @param onIncident       told about each demo incident (after it is logged)
     */
    public SimulatorService(SimulatorSettings settings, EventSink sink, Clock clock, Duration progressInterval,
                            Consumer<Incident> onIncident) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
        this.onIncident = Objects.requireNonNull(onIncident, "onIncident");
        this.model = new TrafficModel(settings, clock.instant());
        this.simulator = new TrafficSimulator(model, sink, clock);
        this.progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "keywatch-simulator-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    public SimulatorService(SimulatorSettings settings, EventSink sink) {
        this(settings, sink, Clock.systemUTC(), Duration.ofSeconds(10), incident -> { });
    }

    /** Backfills (blocking, as fast as the sink allows), then starts real time and demo incidents; returns. */
    public void start() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (!settings.backfill().isZero()) {
            Instant from = now.minus(settings.backfill());
            long began = System.nanoTime();
            log.info("backfilling {} min of traffic for {} keys ({} to {})",
                    settings.backfill().toMinutes(), settings.keys(), from, now);
            long events = new TrafficGenerator(model).generate(from, now, new BackfillProgress(sink, from, now));
            sink.flush();
            double seconds = Math.max(0.001, (System.nanoTime() - began) / 1e9);
            log.info(String.format(Locale.ROOT, "backfilled %,d events in %.1f s (%,.0f events/s)",
                    events, seconds, events / seconds));
        }
        simulator.start(now);
        if (settings.demoIncidents()) {
            simulator.startDemoIncidents(settings.incidentInterval(), onIncident);
        }
        if (!progressInterval.isZero()) {
            progress.scheduleAtFixedRate(new ProgressLog(), progressInterval.toMillis(), progressInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The running simulator, for injecting incidents or marking keys revoked. */
    public TrafficSimulator simulator() {
        return simulator;
    }

    public TrafficModel model() {
        return model;
    }

    /** Stops real-time traffic and flushes the sink; does not close the sink, which the caller owns. */
    @Override
    public void close() {
        progress.shutdownNow();
        simulator.close();
        sink.flush();
        log.info("simulator stopped after {} real-time events", simulator.eventsEmitted());
    }

    /** Passes events on and logs how far a long backfill has come, every ten seconds or so. */
    private static final class BackfillProgress implements EventSink {
        private static final long REPORT_EVERY_NANOS = 10_000_000_000L;
        private final EventSink sink;
        private final Instant from;
        private final Instant to;
        private long count;
        private long lastReport = System.nanoTime();

        BackfillProgress(EventSink sink, Instant from, Instant to) {
            this.sink = sink;
            this.from = from;
            this.to = to;
        }

        @Override
        public void accept(UsageEvent event) {
            sink.accept(event);
            // checking the time every 4,096 events keeps the check off the hot path
            if ((++count & 4095) == 0 && System.nanoTime() - lastReport > REPORT_EVERY_NANOS) {
                lastReport = System.nanoTime();
                double done = 100.0 * Duration.between(from, event.timestamp()).toMillis()
                        / Math.max(1, Duration.between(from, to).toMillis());
                log.info(String.format(Locale.ROOT, "backfill %.0f%% done: %,d events up to %s",
                        done, count, event.timestamp()));
            }
        }

        @Override
        public void flush() {
            sink.flush();
        }
    }

    /** Logs the real-time event rate since the previous report. */
    private final class ProgressLog implements Runnable {
        private long lastCount;
        private long lastNanos = System.nanoTime();

        @Override
        public void run() {
            long count = simulator.eventsEmitted();
            long nanos = System.nanoTime();
            double rate = (count - lastCount) / Math.max(0.001, (nanos - lastNanos) / 1e9);
            log.info(String.format(Locale.ROOT, "simulator: %.1f events/s, %,d events in total, %d incidents",
                    rate, count, simulator.incidents().size()));
            lastCount = count;
            lastNanos = nanos;
        }
    }
}
