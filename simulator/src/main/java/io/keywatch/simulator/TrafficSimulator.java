package io.keywatch.simulator;

import io.keywatch.events.UsageEvent;
import io.keywatch.client.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real-time traffic: once a second it emits the events of the second that just ended, timestamped within it, plus
 * the events of injected incidents as their time comes. Runs on its own thread until {@link #close()}.
 *
 * <p>Bounded: after a stall (a suspended laptop, a long GC) it catches up at most {@link #MAX_CATCH_UP} of
 * missed traffic and skips the rest, rather than flooding the sink with hours of backlog.
 */
public final class TrafficSimulator implements AutoCloseable {

    public static final Duration MAX_CATCH_UP = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(TrafficSimulator.class);

    private final TrafficModel model;
    private final EventSink sink;
    private final Clock clock;
    private final IncidentPlanner planner;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Instant> revokedSince = new ConcurrentHashMap<>();
    private final PriorityQueue<UsageEvent> pendingIncidentEvents = new PriorityQueue<>(TrafficModel.BY_TIME);
    private final List<Incident> incidents = new ArrayList<>();
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong failedTicks = new AtomicLong();
    /** The start of the next second to emit; null until started. */
    private Instant cursor;

    public TrafficSimulator(TrafficModel model, EventSink sink, Clock clock) {
        this.model = Objects.requireNonNull(model, "model");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.planner = new IncidentPlanner(model);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "keywatch-simulator");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts emitting from the current second. */
    public void start() {
        start(clock.instant());
    }

    /**
     * Starts emitting from {@code resumeFrom}: pass the end of a backfill so that history and real time join
     * without a gap or an overlap.
     */
    public void start(Instant resumeFrom) {
        synchronized (this) {
            if (cursor != null) {
                throw new IllegalStateException("simulator already started");
            }
            cursor = resumeFrom.truncatedTo(ChronoUnit.SECONDS);
        }
        // tick just after each second boundary, so the second that ended is complete
        long delayMs = 1000 - clock.millis() % 1000 + 20;
        scheduler.scheduleAtFixedRate(this::tick, delayMs, 1000, TimeUnit.MILLISECONDS);
        log.info("simulating {} keys in real time from {}", model.keys().size(), cursor);
    }

    /**
     * Injects one demo incident every {@code interval}, rotating LEAKED_KEY, BRUTE_FORCE, REVOKED_KEY_REUSE, and
     * tells {@code onInjected} about each. Assumes keywatch revokes every key a leak or brute force hits: from the
     * incident's end, that key's ordinary traffic is reported as rejected (REVOKED, 401).
     */
    public void startDemoIncidents(Duration interval, Consumer<Incident> onInjected) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        Objects.requireNonNull(onInjected, "onInjected");
        scheduler.scheduleAtFixedRate(() -> {
            try {
                Incident incident;
                synchronized (this) {
                    incident = inject(planner.next(nextStart()));
                    if (incident.kind() != IncidentKind.REVOKED_KEY_REUSE) {
                        markRevoked(incident.keyId(), incident.end());
                    }
                }
                onInjected.accept(incident);
            } catch (RuntimeException e) {
                log.warn("cannot inject demo incident", e); // keep the schedule alive
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("injecting a demo incident every {} s", interval.toSeconds());
    }

    /** Injects a default incident of {@code kind} starting now, on a key chosen as {@link IncidentPlanner} does. */
    public synchronized Incident inject(IncidentKind kind) {
        return inject(planner.plan(kind, nextStart()));
    }

    /** Injects a default incident of {@code kind} on {@code keyId} (any key id), starting now. */
    public synchronized Incident inject(IncidentKind kind, String keyId) {
        return inject(IncidentPlan.of(kind, keyId, nextStart()));
    }

    /**
     * Injects {@code plan} as given: its events are emitted as their time comes (events already due go out with
     * the next second).
     */
    public synchronized Incident inject(IncidentPlan plan) {
        IncidentTraffic traffic = IncidentFactory.create(plan, model.profileOf(plan.keyId()), model.settings().seed());
        pendingIncidentEvents.addAll(traffic.events());
        incidents.add(traffic.incident());
        log.info("injected {}", traffic.incident().describe());
        return traffic.incident();
    }

    /**
     * Tells the simulator that {@code keyId} is revoked from {@code since}: from then on its owner's ordinary
     * requests are rejected by the service (reported as REVOKED, 401). Incidents are not affected.
     */
    public void markRevoked(String keyId, Instant since) {
        revokedSince.merge(Objects.requireNonNull(keyId, "keyId"), Objects.requireNonNull(since, "since"),
                (earlier, later) -> earlier.isBefore(later) ? earlier : later);
    }

    /**
     * Emits every whole second before {@code now} not yet emitted (at most {@link #MAX_CATCH_UP} of them); the
     * scheduler calls it each second, tests may call it directly. Returns the number of events emitted.
     */
    public synchronized int emitUntil(Instant now) {
        if (cursor == null) {
            throw new IllegalStateException("simulator not started");
        }
        Instant until = now.truncatedTo(ChronoUnit.SECONDS);
        Instant earliest = until.minus(MAX_CATCH_UP);
        if (cursor.isBefore(earliest)) {
            log.warn("simulator fell {} s behind; skipping to the last {} s", Duration.between(cursor, until)
                    .toSeconds(), MAX_CATCH_UP.toSeconds());
            cursor = earliest;
        }
        int count = 0;
        while (cursor.isBefore(until)) {
            Instant second = cursor;
            // advance first: if the sink throws, the rest of this second is lost rather than sent twice
            cursor = second.plusSeconds(1);
            for (UsageEvent event : model.secondOfTraffic(second, revokedSince)) {
                count += emitIncidentEventsBefore(event.timestamp());
                emit(event);
                count++;
            }
            count += emitIncidentEventsBefore(cursor);
        }
        return count;
    }

    /** Keys marked revoked and from when. */
    public Map<String, Instant> revokedSince() {
        return Map.copyOf(revokedSince);
    }

    /** Events emitted so far, incidents included. */
    public long eventsEmitted() {
        return emitted.get();
    }

    /** Incidents injected so far, oldest first. */
    public synchronized List<Incident> incidents() {
        return List.copyOf(incidents);
    }

    public TrafficModel model() {
        return model;
    }

    /** Stops emitting; events already handed to the sink stay there. Idempotent. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("simulator thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int emitIncidentEventsBefore(Instant time) {
        int count = 0;
        while (!pendingIncidentEvents.isEmpty() && pendingIncidentEvents.peek().timestamp().isBefore(time)) {
            emit(pendingIncidentEvents.poll());
            count++;
        }
        return count;
    }

    private void emit(UsageEvent event) {
        sink.accept(event);
        emitted.incrementAndGet();
    }

    /** Where an incident injected now starts: the next second to emit, or the clock if not started. */
    private Instant nextStart() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return cursor != null && cursor.isAfter(now) ? cursor : now;
    }

    private void tick() {
        try {
            emitUntil(clock.instant());
        } catch (RuntimeException e) {
            // an exception would cancel the schedule: log it (rarely) and try again next second
            long failures = failedTicks.incrementAndGet();
            if ((failures & (failures - 1)) == 0) {
                log.warn("simulator tick failed ({} failures so far)", failures, e);
            }
        }
    }
}
