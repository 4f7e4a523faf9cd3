package io.keywatch.tools.bench;

import java.util.Map;

/**
 * What the million-key phase measured ({@link MillionKeysPhase}).
 *
 * @param keys                   registered keys (plus one canary)
 * @param heapMb                 the topology JVM's fixed heap ({@code -Xmx})
 * @param registerSeconds        announcing every key on the key-state topic
 * @param firstStartSeconds      the topology's first start until RUNNING (the registry loaded into its global store)
 * @param fillEvents             events in the fill, one per key
 * @param fillSeconds            first fill event sent until the topology had committed the last
 * @param fillEventsPerSecond    fillEvents over fillSeconds
 * @param afterFill              the topology JVM's memory after the fill
 * @param storesMiB              each store's files on disk after the fill (all tasks), and the state folder's total
 * @param restoreSeconds         after deleting the local state: the topology's start until RUNNING
 * @param detectingSeconds       the same start until a canary key's use is an alert on the alerts topic
 * @param hygieneComplete        whether the hygiene pass raised every alert it should within the time limit
 * @param hygieneSeconds         wall-clock time of the pass (first tick until the last expected alert)
 * @param hygieneTicks           ticks sent, one per 10 s of stream time (the pass steps once per tick)
 * @param hygieneStreamSeconds   stream time the pass took
 * @param longestTickSeconds     the longest a tick took from its send until the topology had committed it: a step of
 *                               the pass, or the daily clean-up that runs before the first step of a day, blocks the
 *                               stream thread that long (plus a commit interval)
 * @param hygieneExpected        alerts the pass should raise, by rule
 * @param hygieneRaised          alerts it raised, by rule
 * @param secondPassRaised       alerts a second pass the same day raised (0: all de-duplicated)
 * @param atEnd                  the topology JVM's memory at the end
 * @param rebalancesAfterRunning times the restored topology left RUNNING (a punctuation past max.poll.interval.ms
 *                               would show here)
 */
public record MillionKeysReport(int keys, int heapMb, double registerSeconds, double firstStartSeconds, int fillEvents,
                                double fillSeconds, double fillEventsPerSecond, ChildFootprint afterFill,
                                Map<String, Double> storesMiB, double restoreSeconds, double detectingSeconds,
                                boolean hygieneComplete, double hygieneSeconds, int hygieneTicks,
                                long hygieneStreamSeconds, double longestTickSeconds, Map<String, Integer> hygieneExpected,
                                Map<String, Integer> hygieneRaised, int secondPassRaised, ChildFootprint atEnd,
                                int rebalancesAfterRunning) {

    /** The topology JVM's memory: heap after two full GCs, its limit, collection time so far, uptime, resident set. */
    public record ChildFootprint(double heapAfterGcMiB, double poolsAfterGcMiB, double heapMaxMiB, double gcSeconds,
                                 double uptimeSeconds, double rssMiB) {

        /** Share of the JVM's life spent collecting. */
        public double gcShare() {
            return uptimeSeconds <= 0 ? 0 : gcSeconds / uptimeSeconds;
        }

        static ChildFootprint parse(String line) {
            String[] f = line.strip().split(" ");
            if (f.length != 6) {
                throw new IllegalStateException("unexpected footprint line from the topology JVM: " + line);
            }
            return new ChildFootprint(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]));
        }
    }
}
