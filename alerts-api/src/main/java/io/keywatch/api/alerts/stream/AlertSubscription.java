package io.keywatch.api.alerts.stream;

import io.keywatch.api.alerts.StoredAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One open stream: a bounded buffer the poller fills without ever waiting, and the client's writer drains. When the
 * buffer is full the subscription ends (the client resumes with its last event id) rather than slowing the poller,
 * and with it every other subscriber.
 */
public final class AlertSubscription implements AutoCloseable {

    /** The end of the stream, put in the buffer (or found by the writer) when the subscription closes. */
    private static final StreamEvent END = new StreamEvent.Reset("end");

    private final String principal;
    private final Predicate<StoredAlert> filter;
    /** The filter's part no change can alter (key id, rule): an alert in scope that fails the filter has left it. */
    private final Predicate<StoredAlert> scope;
    private final Instant opened;
    private final BlockingQueue<StreamEvent> buffer;
    private final Runnable onClose;
    /** The last feed position this subscriber was given (or skipped by its filter); written by the poller only. */
    private FeedPosition position;
    private volatile String closedBecause;

    AlertSubscription(String principal, Predicate<StoredAlert> filter, Predicate<StoredAlert> scope, int capacity,
                      Instant opened, Runnable onClose) {
        this.principal = principal;
        this.filter = filter;
        this.scope = scope;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        this.opened = opened;
        this.onClose = onClose;
    }

    String principal() {
        return principal;
    }

    Instant opened() {
        return opened;
    }

    /** Where this subscriber continues from; set once, before the poller sees it. */
    void startAt(FeedPosition start) {
        position = start;
    }

    /** What this subscriber is sent for a change: the change, a {@link StreamEvent.Left}, or nothing. */
    StreamEvent eventFor(StreamEvent.Change change) {
        if (filter.test(change.alert())) {
            return change;
        }
        // a created alert was never sent, so it cannot have left; an alert of another key or rule never matched
        return !change.created() && scope.test(change.alert()) ? new StreamEvent.Left(change.id(), change.alert())
                : null;
    }

    FeedPosition position() {
        return position;
    }

    /** Offers a change at {@code at} unless the subscriber already had it or filters it out. Never blocks. */
    void offer(FeedPosition at, StreamEvent.Change change) {
        if (!at.after(position)) {
            return;
        }
        position = at;
        StreamEvent event = eventFor(change);
        if (event != null) {
            offer(event);
        }
    }

    /** Queues an event; a full buffer ends the subscription. Never blocks. */
    void offer(StreamEvent event) {
        if (closedBecause == null && !buffer.offer(event)) {
            end("the client did not keep up: its buffer of " + (buffer.size() + buffer.remainingCapacity())
                    + " events filled (resume with Last-Event-ID)");
        }
    }

    /**
     * The next event, waiting up to {@code timeout}; null when none came in time (time for a heartbeat).
     *
     * @throws ClosedException once the subscription has ended, with why
     */
    public StreamEvent next(Duration timeout) throws InterruptedException {
        String reason = closedBecause;
        if (reason != null) {
            throw new ClosedException(reason);
        }
        StreamEvent event = buffer.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == END || closedBecause != null) {
            throw new ClosedException(closedBecause);
        }
        return event;
    }

    /** Ends the subscription: the writer's next {@link #next} throws {@link ClosedException}. */
    void end(String reason) {
        if (closedBecause != null) {
            return;
        }
        closedBecause = reason;
        buffer.clear();
        buffer.offer(END);
        onClose.run();
    }

    /** Why the subscription ended, null while open. */
    public String closedBecause() {
        return closedBecause;
    }

    /** The client went away (or the writer stopped): frees its place. */
    @Override
    public void close() {
        end("closed");
    }

    /** The subscription ended; the message says why. */
    public static final class ClosedException extends RuntimeException {
        ClosedException(String reason) {
            super(reason, null, false, false);
        }
    }
}
