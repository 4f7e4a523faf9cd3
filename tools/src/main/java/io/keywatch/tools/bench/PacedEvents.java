package io.keywatch.tools.bench;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A pre-serialized {@link EventBatch} sent from this process when each event's timestamp comes. With a shift, the
 * schedule moves forward (and so do the records' timestamps): a batch made before a slow start must not go out as a
 * burst.
 */
final class PacedEvents implements Background {

    private final EventBatch batch;
    private long shiftMs;
    private int next;
    private long firstSendMs = -1;
    private long lastSendMs = -1;
    private long maxBehindMs;

    PacedEvents(EventBatch batch) {
        this.batch = batch;
    }

    /** Moves the schedule so that the first event is due no earlier than {@code earliestMs}. */
    PacedEvents startingNoEarlierThan(long earliestMs) {
        if (batch.size() > 0) {
            shiftMs = Math.max(0, earliestMs - batch.timestamp(0));
        }
        return this;
    }

    @Override
    public boolean sendDue(Producer<String, byte[]> producer, String topic, long nowMs) {
        boolean sent = false;
        while (next < batch.size() && batch.timestamp(next) + shiftMs <= nowMs) {
            long due = batch.timestamp(next) + shiftMs;
            producer.send(new ProducerRecord<>(topic, null, due, batch.key(next), batch.value(next)));
            maxBehindMs = Math.max(maxBehindMs, nowMs - due);
            long sentAt = System.currentTimeMillis();
            if (firstSendMs < 0) {
                firstSendMs = sentAt;
            }
            lastSendMs = sentAt;
            next++;
            sent = true;
        }
        return sent;
    }

    @Override
    public long firstDueMs() {
        return batch.size() == 0 ? System.currentTimeMillis() : batch.timestamp(0) + shiftMs;
    }

    @Override
    public boolean done() {
        return next >= batch.size();
    }

    @Override
    public Sent finish() {
        if (!done()) {
            throw new IllegalStateException("the background was not sent: " + next + " of " + batch.size());
        }
        return next == 0 ? Sent.NONE : new Sent(next, firstSendMs, lastSendMs, maxBehindMs);
    }

    @Override
    public String publisher() {
        return "in-process";
    }
}
