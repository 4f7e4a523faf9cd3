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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
    /** How long a new stream waits for a poll in progress (a slow database) before it is refused. */
    private static final Duration POLL_LOCK_WAIT = Duration.ofSeconds(5);
    private static final Duration RETRY_BUSY = Duration.ofSeconds(5);

    private final AlertChangeFeed feed;
    private final AlertStore alerts;
    private final AlertStreamSettings settings;
    private final Clock clock;
    /** Streams that hold a place, oldest first: guarded by {@link #slots}, a lock no database work runs under. */
    private final List<AlertSubscription> claimed = new ArrayList<>();
    private final Object slots = new Object();
    /** Streams the poller fans out to; changed only under {@link #pollLock}, read by the poller without copying. */
    private final List<AlertSubscription> subscribers = new CopyOnWriteArrayList<>();
    /** Guards the head and each live subscriber's position: a poll and a subscriber's start never interleave. */
    private final ReentrantLock pollLock = new ReentrantLock();
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
        FeedPosition first = feed.head();
        pollLock.lock();
        try {
            head = first;
        } finally {
            pollLock.unlock();
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
     * Opens a subscription for {@code principal} with a filter and its unchangeable part {@code scope} (see
     * {@link StreamEvent.Left}). Without {@code lastEventId} it starts from now; with one, the changes after it are
     * queued first (or, when that id is no longer kept or too far behind, a {@link StreamEvent.Reset}), then it
     * continues live.
     *
     * @throws StreamRefusedException when the instance has as many streams open as allowed (503), when a poll holds
     *                                the feed too long (503), or when the identity is at its own limit and its oldest
     *                                stream is younger than {@code minReplaceAge} (429); an identity at its limit
     *                                whose oldest stream is older gets the stream, and that oldest one ends
     */
    public AlertSubscription subscribe(String principal, Predicate<StoredAlert> filter, Predicate<StoredAlert> scope,
                                       OptionalLong lastEventId) {
        AlertSubscription[] self = new AlertSubscription[1];
        AlertSubscription subscription = new AlertSubscription(principal, filter, scope, BUFFER, clock.instant(),
                () -> release(self[0]));
        self[0] = subscription;
        AlertSubscription replaced = claim(subscription);
        if (replaced != null) {
            replaced.end("replaced by a newer stream of the same identity (KEYWATCH_SSE_MAX_PER_PRINCIPAL)");
        }
        try {
            start(subscription, lastEventId);
            return subscription;
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
    }

    /** Takes a place for the subscription before any database work; returns the stream it replaces, if any. */
    private AlertSubscription claim(AlertSubscription subscription) {
        synchronized (slots) {
            if (claimed.size() >= settings.maxSubscribers()) {
                throw new StreamRefusedException("this instance serves " + settings.maxSubscribers()
                        + " alert streams already (KEYWATCH_SSE_MAX_SUBSCRIBERS); retry later", RETRY_GLOBAL, false);
            }
            List<AlertSubscription> own = claimed.stream()
                    .filter(s -> s.principal().equals(subscription.principal())).toList();
            AlertSubscription replaced = null;
            if (own.size() >= settings.maxPerPrincipal()) {
                // a reloaded page leaves its old stream open until a write fails (up to a heartbeat): the newest
                // stream wins, so an identity at its limit is never locked out by its own abandoned connections;
                // but not a young one, or more tabs than the limit would end each other in turn for ever
                AlertSubscription oldest = own.get(0);
                Duration age = Duration.between(oldest.opened(), subscription.opened());
                if (age.compareTo(settings.minReplaceAge()) < 0) {
                    Duration wait = settings.minReplaceAge().minus(age);
                    throw new StreamRefusedException("this identity has " + own.size() + " alert streams open "
                            + "(KEYWATCH_SSE_MAX_PER_PRINCIPAL), the oldest opened less than "
                            + settings.minReplaceAge().toSeconds() + " s ago; retry later",
                            Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000)), true);
                }
                claimed.remove(oldest); // its place is the new one's even before its writer notices
                replaced = oldest;
            }
            claimed.add(subscription);
            return replaced;
        }
    }

    /**
     * Queues what a resume replays (read without the poll lock: a slow database must not hold up polling nor other
     * new streams), then, under the poll lock, catches up with what the poller delivered meanwhile and goes live.
     */
    private void start(AlertSubscription subscription, OptionalLong lastEventId) {
        FeedPosition snapshot = currentHead();
        FeedPosition from = snapshot;
        List<StreamEvent> first = new ArrayList<>();
        if (lastEventId.isPresent()) {
            from = resume(lastEventId.getAsLong(), snapshot, subscription, first);
        }
        first.forEach(subscription::offer);
        subscription.startAt(from);
        acquirePollLock();
        try {
            if (head.after(from)) {
                // the poller moved on while the resume was read: the rows in between, exactly once
                List<FeedRow> gap = feed.after(from, head, BUFFER + 1);
                if (gap.size() > BUFFER) {
                    subscription.offer(new StreamEvent.Reset("more than " + BUFFER + " changes while the stream "
                            + "opened: reload the list"));
                    subscription.startAt(head);
                } else {
                    Map<Long, FeedPosition> positions = positions(gap);
                    for (StreamEvent.Change change : changes(gap)) {
                        subscription.offer(positions.get(change.id()), change);
                    }
                    subscription.startAt(head);
                }
            }
            subscribers.add(subscription);
            if (subscription.closedBecause() != null) {
                subscribers.remove(subscription); // ended meanwhile (replaced, shut down): its release may have run
            }
        } finally {
            pollLock.unlock();
        }
    }

    private FeedPosition currentHead() {
        acquirePollLock();
        try {
            if (head == null) {
                throw new IllegalStateException("alert stream not started");
            }
            return head;
        } finally {
            pollLock.unlock();
        }
    }

    private void acquirePollLock() {
        boolean locked;
        try {
            locked = pollLock.tryLock(POLL_LOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            throw new StreamRefusedException("the alert change feed is slow to read right now; retry later",
                    RETRY_BUSY, false);
        }
    }

    /**
     * Queues the changes after {@code lastEventId} up to {@code upTo} (as the subscriber's filter passes them) into
     * {@code out}; returns where they end.
     */
    private FeedPosition resume(long lastEventId, FeedPosition upTo, AlertSubscription subscription,
                                List<StreamEvent> out) {
        Optional<FeedPosition> from = feed.positionOf(lastEventId);
        if (from.isEmpty()) {
            out.add(new StreamEvent.Reset("event " + lastEventId + " is no longer kept (changes are kept "
                    + settings.replay().toHours() + " h) or never existed: reload the list"));
            return upTo;
        }
        if (!upTo.after(from.get())) {
            return from.get(); // already at or past what this instance has delivered
        }
        List<FeedRow> rows = feed.after(from.get(), upTo, BUFFER + 1);
        if (rows.size() > BUFFER) {
            out.add(new StreamEvent.Reset("more than " + BUFFER + " changes since event " + lastEventId
                    + ": reload the list"));
            return upTo;
        }
        for (StreamEvent.Change change : changes(rows)) {
            StreamEvent event = subscription.eventFor(change);
            if (event != null) {
                out.add(event);
            }
        }
        return upTo;
    }

    private void release(AlertSubscription subscription) {
        synchronized (slots) {
            claimed.remove(subscription);
        }
        subscribers.remove(subscription);
    }

    /**
     * How long a stream may stay open: {@code KEYWATCH_SSE_MAX_STREAM_SECONDS}, or less when its credential expires
     * sooner ({@code credentialExpiresAt}, null when unknown); never negative.
     */
    public Duration lifetime(Instant credentialExpiresAt) {
        Duration lifetime = settings.maxLifetime();
        if (credentialExpiresAt != null) {
            Duration left = Duration.between(clock.instant(), credentialExpiresAt);
            if (left.compareTo(lifetime) < 0) {
                lifetime = left.isNegative() ? Duration.ZERO : left;
            }
        }
        return lifetime;
    }

    /** How many streams are open on this instance. */
    public int subscriberCount() {
        synchronized (slots) {
            return claimed.size();
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
        pollLock.lock();
        try {
            List<FeedRow> rows = feed.after(head, null, BATCH);
            if (rows.isEmpty()) {
                return 0;
            }
            if (!subscribers.isEmpty()) {
                List<StreamEvent.Change> changes = changes(rows);
                Map<Long, FeedPosition> positions = positions(rows);
                for (StreamEvent.Change change : changes) {
                    FeedPosition at = positions.get(change.id());
                    for (AlertSubscription subscriber : subscribers) {
                        subscriber.offer(at, change);
                    }
                }
            }
            head = rows.get(rows.size() - 1).position();
            return rows.size();
        } finally {
            pollLock.unlock();
        }
    }

    private static Map<Long, FeedPosition> positions(List<FeedRow> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.position().seq(), FeedRow::position));
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
        synchronized (slots) {
            open = List.copyOf(claimed);
        }
        open.forEach(s -> s.end("the server is shutting down"));
    }
}
