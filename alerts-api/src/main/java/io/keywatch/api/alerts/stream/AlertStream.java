package io.keywatch.api.alerts.stream;

import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.alerts.StoredAlert;
import io.keywatch.api.db.LoggedFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live alert stream of one API instance: one poller reads the PostgreSQL change feed ({@link AlertChangeFeed}),
 * which every instance shares, and fans each change out to this instance's subscribers. Knows nothing of HTTP.
 *
 * <p>Bounded everywhere: subscribers per instance and per identity, events buffered per subscriber (a slow one is
 * ended, never waited for), changes replayed on resume, rows read per poll, and the feed's age (pruned).
 */
public final class AlertStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertStream.class);
    /** Events buffered per subscriber, and the most changes a resume replays (beyond: a reset). */
    static final int BUFFER = 1_000;
    /** Feed rows read per poll; the next poll reads on at once when a batch was full. */
    private static final int BATCH = 500;
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final Duration RETRY_GLOBAL = Duration.ofSeconds(30);

    private final AlertChangeFeed feed;
    private final AlertStore alerts;
    private final AlertStreamSettings settings;
    private final Clock clock;
    private final List<AlertSubscription> subscribers = new ArrayList<>();
    private final Map<String, Integer> perPrincipal = new HashMap<>();
    /** Guards the head, the subscriber lists and each subscriber's position: a poll and a subscribe never interleave. */
    private final Object lock = new Object();
    private FeedPosition head;
    private Instant lastPrune = Instant.EPOCH;
    private ScheduledExecutorService poller;

    public AlertStream(AlertChangeFeed feed, AlertStore alerts, AlertStreamSettings settings, Clock clock) {
        this.feed = feed;
        this.alerts = alerts;
        this.settings = settings;
        this.clock = clock;
    }

    public AlertStreamSettings settings() {
        return settings;
    }

    /** Starts from the feed's current end and polls it every {@code KEYWATCH_SSE_POLL_MILLIS}. */
    public AlertStream start() {
        synchronized (lock) {
            head = feed.head();
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keywatch-alert-stream-poller");
            t.setDaemon(true);
            return t;
        });
        long period = settings.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::pollSafely, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Opens a subscription for {@code principal} with a filter. Without {@code lastEventId} it starts from now;
     * with one, the changes after it are queued first (or, when that id is no longer kept or too far behind, a
     * {@link StreamEvent.Reset}), then it continues live.
     *
     * @throws StreamRefusedException when the instance has as many streams open as allowed (an identity at its own
     *                                limit gets the stream, and its oldest one ends)
     */
    public AlertSubscription subscribe(String principal, Predicate<StoredAlert> filter, OptionalLong lastEventId) {
        synchronized (lock) {
            if (head == null) {
                throw new IllegalStateException("alert stream not started");
            }
            if (subscribers.size() >= settings.maxSubscribers()) {
                throw new StreamRefusedException("this instance serves " + settings.maxSubscribers()
                        + " alert streams already (KEYWATCH_SSE_MAX_SUBSCRIBERS); retry later", RETRY_GLOBAL);
            }
            if (perPrincipal.getOrDefault(principal, 0) >= settings.maxPerPrincipal()) {
                // a reloaded page leaves its old stream open until a write fails (up to a heartbeat): the newest
                // stream wins, so an identity at its limit is never locked out by its own abandoned connections
                subscribers.stream().filter(s -> s.principal().equals(principal)).findFirst()
                        .ifPresent(oldest -> oldest.end("replaced by a newer stream of the same identity "
                                + "(KEYWATCH_SSE_MAX_PER_PRINCIPAL)"));
            }
            List<StreamEvent> first = new ArrayList<>();
            FeedPosition start = head;
            if (lastEventId.isPresent()) {
                start = resume(lastEventId.getAsLong(), filter, first);
            }
            AlertSubscription subscription = new AlertSubscription(principal, filter, BUFFER, start,
                    () -> release(principal));
            first.forEach(subscription::offer);
            subscribers.add(subscription);
            perPrincipal.merge(principal, 1, Integer::sum);
            return subscription;
        }
    }

    /** Queues the changes after {@code lastEventId} up to the head into {@code out}; returns where they end. */
    private FeedPosition resume(long lastEventId, Predicate<StoredAlert> filter, List<StreamEvent> out) {
        Optional<FeedPosition> from = feed.positionOf(lastEventId);
        if (from.isEmpty()) {
            out.add(new StreamEvent.Reset("event " + lastEventId + " is no longer kept (changes are kept "
                    + settings.replay().toHours() + " h) or never existed: reload the list"));
            return head;
        }
        if (!head.after(from.get())) {
            return from.get(); // already at or past what this instance has delivered
        }
        List<FeedRow> rows = feed.after(from.get(), head, BUFFER + 1);
        if (rows.size() > BUFFER) {
            out.add(new StreamEvent.Reset("more than " + BUFFER + " changes since event " + lastEventId
                    + ": reload the list"));
            return head;
        }
        for (StreamEvent.Change change : changes(rows)) {
            if (filter.test(change.alert())) {
                out.add(change);
            }
        }
        return head;
    }

    private void release(String principal) {
        synchronized (lock) {
            perPrincipal.computeIfPresent(principal, (p, n) -> n <= 1 ? null : n - 1);
            subscribers.removeIf(s -> s.closedBecause() != null);
        }
    }

    /** How many streams are open on this instance. */
    public int subscriberCount() {
        synchronized (lock) {
            return subscribers.size();
        }
    }

    private void pollSafely() {
        try {
            while (poll() == BATCH) {
                // a full batch: read on at once
            }
            pruneWhenDue();
        } catch (RuntimeException e) {
            // the next poll reads on from the same place: nothing is lost, subscribers only wait
            LOG.warn("Could not read the alert change feed: {}", LoggedFailure.describe(e));
        }
    }

    /** Reads one batch of settled changes after the head and hands them to every subscriber; returns the row count. */
    int poll() {
        synchronized (lock) {
            List<FeedRow> rows = feed.after(head, null, BATCH);
            if (rows.isEmpty()) {
                return 0;
            }
            if (!subscribers.isEmpty()) {
                List<StreamEvent.Change> changes = changes(rows);
                Map<Long, FeedPosition> positions = rows.stream()
                        .collect(Collectors.toMap(r -> r.position().seq(), FeedRow::position));
                for (StreamEvent.Change change : changes) {
                    FeedPosition at = positions.get(change.id());
                    for (AlertSubscription subscriber : List.copyOf(subscribers)) {
                        subscriber.offer(at, change);
                    }
                }
            }
            head = rows.get(rows.size() - 1).position();
            return rows.size();
        }
    }

    /** The rows with their alerts as they are now, in feed order (a row whose alert is gone is left out). */
    private List<StreamEvent.Change> changes(List<FeedRow> rows) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        rows.forEach(r -> ids.add(r.alertId()));
        Map<String, StoredAlert> byId = new HashMap<>();
        try {
            alerts.findAll(ids).forEach(a -> byId.put(a.id(), a));
        } catch (RuntimeException batchFailed) {
            // one row that cannot be read must not stop the stream for everyone: read them one by one, skip it
            for (String id : ids) {
                try {
                    alerts.findAll(List.of(id)).forEach(a -> byId.put(a.id(), a));
                } catch (RuntimeException e) {
                    LOG.warn("Alert change skipped: the alert cannot be read ({})", LoggedFailure.describe(e));
                }
            }
        }
        List<StreamEvent.Change> changes = new ArrayList<>(rows.size());
        for (FeedRow row : rows) {
            StoredAlert alert = byId.get(row.alertId());
            if (alert != null) {
                changes.add(new StreamEvent.Change(row.position().seq(), row.created(), alert));
            }
        }
        return changes;
    }

    private void pruneWhenDue() {
        Instant now = clock.instant();
        if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        lastPrune = now;
        int pruned = feed.prune(now.minus(settings.replay()));
        if (pruned > 0) {
            LOG.debug("Pruned {} alert changes older than {} h", pruned, settings.replay().toHours());
        }
    }

    /** Stops polling and ends every subscription (their writers return). */
    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
        List<AlertSubscription> open;
        synchronized (lock) {
            open = List.copyOf(subscribers);
        }
        open.forEach(s -> s.end("the server is shutting down"));
    }
}
