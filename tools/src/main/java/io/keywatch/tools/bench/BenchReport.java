package io.keywatch.tools.bench;

import io.keywatch.tools.bench.LatencyRecorder.Latencies;
import java.util.List;

/** Everything one bench run measured, section by section; written as a table and as JSON. */
public record BenchReport(Setup setup, Throughput throughput, Detection detection, PassThrough passThrough,
                          Revocation revocation, Api api, Footprint footprint, Live live) {

    public BenchReport(Setup setup, Throughput throughput, Detection detection, PassThrough passThrough,
                       Revocation revocation, Api api, Footprint footprint) {
        this(setup, throughput, detection, passThrough, revocation, api, footprint, Live.NONE);
    }

    /** What ran where. */
    public record Setup(String startedAt, int cpus, long maxHeapMiB, String java, BenchSettings settings,
                        double registrationSeconds, int registeredKeys) {
    }

    /** Phase 1: the same events through keywatch's topology and through a parse-and-count baseline. */
    public record Throughput(long events, long warmupEvents, int keys, double keywatchSeconds, double keywatchEventsPerSecond,
                             double baselineSeconds, double baselineEventsPerSecond, double ratio) {
    }

    /**
     * Phase 2: brute-force incidents under background traffic; threshold-crossing event to alert readable via API.
     * backlogAtEnd: events the topology had not processed when sending ended; drainSeconds: time from then until it
     * had; sustainedRate: events sent in the phase over the time from first send until the backlog was gone;
     * topologyLatency: crossing event to the topology's detection (the alert's lastSeen, wall clock), part of latency;
     * alertTopicLatency: crossing event to the alert read from the alerts topic by a read_committed consumer.
     */
    public record Detection(int targetRate, double achievedRate, int incidents, Latencies latency,
                            Latencies topologyLatency, Latencies alertTopicLatency, long backlogAtEnd,
                            double drainSeconds, double sustainedRate) {
    }

    /**
     * The physical floor, right after the detection phase at the same rate: probes through a topology that only
     * forwards (keywatch's streams settings) to a read_committed consumer. The ratios divide keywatch's event -> alert
     * on the topic and in the API by it.
     */
    public record PassThrough(int targetRate, double achievedRate, Latencies latency, double topicP50Ratio,
                              double topicP99Ratio, double apiP50Ratio, double apiP99Ratio) {

        /** The floor's figures with keywatch's (from {@code detection}) divided by them; NaN without samples. */
        public static PassThrough of(int targetRate, double achievedRate, Latencies latency, Detection detection) {
            return new PassThrough(targetRate, achievedRate, latency,
                    ratio(detection.alertTopicLatency().p50Ms(), latency.p50Ms()),
                    ratio(detection.alertTopicLatency().p99Ms(), latency.p99Ms()),
                    ratio(detection.latency().p50Ms(), latency.p50Ms()),
                    ratio(detection.latency().p99Ms(), latency.p99Ms()));
        }

        private static double ratio(double a, double b) {
            return a < 0 || b <= 0 ? Double.NaN : a / b;
        }
    }

    /** Phase 3: the same incidents; crossing event to signed webhook received, and to a KeyStatusCache seeing it. */
    public record Revocation(int revokeMaxPerWindow, Latencies webhook, Latencies keyStatusCache) {
    }

    /**
     * Phase 4: concurrent clients paging GET /api/v1/alerts over many stored alerts, in full and in the compact view
     * ({@code view=summary}), each next to the same clients on its own page's bytes from memory; {@code tokenRole}: the
     * role of the token the clients used.
     */
    public record Api(long alerts, double insertSeconds, int clients, String loadGenerator, String tokenRole,
                      ApiRun list, ApiRun sameBytes, double listToSameBytesThroughput, ApiRun summaryList,
                      ApiRun summarySameBytes, double summaryListToSameBytesThroughput) {

        /** {@code a}'s throughput over {@code b}'s; 0 when {@code b} served nothing. */
        static double ratio(ApiRun a, ApiRun b) {
            return b.requestsPerSecond() > 0 ? a.requestsPerSecond() / b.requestsPerSecond() : 0;
        }
    }

    /** One route under load: GET /api/v1/alerts's typical lists, or the same bytes from memory. */
    public record ApiRun(String path, int clients, double seconds, long requests, long errors,
                         double requestsPerSecond, double meanBodyBytes, Latencies latency) {
    }

    /** Phase 5: memory and disk after the run. */
    public record Footprint(double heapUsedMiB, double rssMiB, double stateDirMiB, double stateBytesPerKey,
                            int keys) {
    }

    /**
     * {@code --live}: the rate the topology sustains live, background from a child JVM, step by step. A step is kept
     * when the child sent at least 95 % of the asked rate, every incident was detected, the API's detection p99 is
     * within the target and the topology drained what was left within a second of the sending's end;
     * {@code sustainedRate} is the highest asked rate kept with every lower step (0 when none), next to phase 1's bulk
     * rate.
     */
    public record Live(List<LiveStep> steps, double detectionP99TargetMs, int sustainedRate, double bulkRate) {

        public static final Live NONE = new Live(List.of(), 0, 0, 0);
    }

    /** One step of {@code --live}: a rate, what the child sent, what the topology kept up with, detection latency. */
    public record LiveStep(int targetRate, double achievedRate, double sustainedRate, long backlogAtEnd,
                           double drainSeconds, int incidents, Latencies latency, Latencies alertTopicLatency,
                           boolean kept) {
    }
}
