package io.keywatch.events;

/** Headers that keywatch adds to a record it sends to a dead-letter topic; the value stays unchanged. */
public final class DeadLetter {

    /** Why the record was rejected, in words (UTF-8). */
    public static final String REASON_HEADER = "keywatch.dlq.reason";
    /** The topic, partition and offset the record came from, as {@code topic-partition@offset}. */
    public static final String ORIGIN_HEADER = "keywatch.dlq.origin";

    private DeadLetter() {
    }
}
