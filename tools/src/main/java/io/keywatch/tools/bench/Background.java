package io.keywatch.tools.bench;

import org.apache.kafka.clients.producer.Producer;

/**
 * The background traffic of a latency phase, sent on its event timestamps: from the bench's own process
 * ({@link PacedEvents}, interleaved with the phase's own records by one sending loop), or by a child JVM
 * ({@link PublisherProcess}), so that generating and sending the load does not share the measured JVM's heap, GC and
 * JIT with the topology.
 */
interface Background extends AutoCloseable {

    /** Sends what is due at {@code nowMs}; true when something was sent. A child process sends on its own: false. */
    boolean sendDue(Producer<String, byte[]> producer, String topic, long nowMs);

    /** When its first event is due (epoch ms; a child that started late sends later). */
    long firstDueMs();

    /** True once the whole background has been handed to a producer (in this process or the child's). */
    boolean done();

    /** Waits for {@link #done()} and says what was sent. */
    Sent finish() throws Exception;

    /** Where the events were sent from, for the report: {@code in-process} or {@code child process}. */
    String publisher();

    /** Stops whatever still sends (a child process left running by a failed phase). */
    @Override
    default void close() {
    }

    /** Makes a phase's background when the phase is ready for it, for the phase's topic. */
    @FunctionalInterface
    interface Source {
        Background start(String topic) throws java.io.IOException;
    }

    /**
     * What was sent, by the wall clock (the child's and the bench's are the same machine's).
     *
     * @param maxBehindMs how far the sender fell behind the events' schedule at worst
     */
    record Sent(long events, long firstSendMs, long lastSendMs, long maxBehindMs) {

        static final Sent NONE = new Sent(0, -1, -1, 0);

        /** Events per second over the sending, 0 when too short to tell. */
        double rate() {
            double seconds = (lastSendMs - firstSendMs) / 1e3;
            return seconds > 0 ? events / seconds : 0;
        }
    }
}
