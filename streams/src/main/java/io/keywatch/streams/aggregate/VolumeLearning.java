package io.keywatch.streams.aggregate;

/**
 * What the profile needs, besides the count, to learn a completed minute: the smoothing, and what detection judged
 * of the minute when it opened (its critical counts), so that an improbable minute is clipped and counted in a streak.
 *
 * @param probability           the tail probability at or below which a count is improbable ({@code volume.probability})
 * @param dropMinExpected       a quiet minute only counts as a drop when at least this many requests were expected
 * @param adaptMinutes          anomalous minutes in a row after which the streak's level becomes the key's normal
 * @param completedHigh         the completed minute's count at or above which it was improbably high
 *                              ({@link Long#MAX_VALUE}: never)
 * @param completedLow          its count at or below which it was improbably low (-1: never)
 * @param completedSpikeAlerted the severity code + 1 of the highest VOLUME_SPIKE it raised, 0 for none
 * @param completedHighByAnchor  it was improbably high only against the slow anchor (learnt, as far as plausible, like
 *                              a normal minute: the recent level follows a real rise while the streak alerts once)
 * @param factor                {@code volume.factor}: an alerted burst is remembered as count / factor expected
 * @param burstMemoryMinutes    {@code volume.burstMemoryMinutes}: how long an alerted burst's level is remembered (its
 *                              memory as an exponential fade; 0: not at all)
 */
public record VolumeLearning(double smoothing, double probability, double dropMinExpected, int adaptMinutes,
                             long completedHigh, long completedLow, int completedSpikeAlerted,
                             boolean completedHighByAnchor, double factor, int burstMemoryMinutes) {

    /** Learning without judgements: every minute is normal. */
    public static VolumeLearning plain(double smoothing) {
        return new VolumeLearning(smoothing, 0, Double.POSITIVE_INFINITY, Integer.MAX_VALUE, Long.MAX_VALUE, -1, 0,
                false, 1, 0);
    }
}
