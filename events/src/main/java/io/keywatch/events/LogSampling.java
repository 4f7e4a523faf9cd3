package io.keywatch.events;

/**
 * Which occurrences of a repeated warning (a rejected record, a skipped one) reach the log: the first ten, then every
 * thousandth. The dead-letter topics and the counts say everything; the log only samples, so that a broken or hostile
 * producer cannot flood it.
 */
public final class LogSampling {

    private LogSampling() {
    }

    /** @param count how many times it has happened so far, this one included */
    public static boolean shouldLog(long count) {
        return count <= 10 || count % 1000 == 0;
    }
}
