package io.keywatch.tools.bench;

import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.tools.bench.LatencyRecorder.Latencies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code bench --live RATES}: how fast the topology keeps up live. Each step publishes the simulated keys' traffic at
 * one rate from a child JVM ({@link PublisherProcess}) for {@value #BACKGROUND_SECONDS} s while {@value
 * #INCIDENTS_PER_STEP} brute-force incidents run on fresh keys, exactly as in the detection phase; the step is kept
 * when every incident's CRITICAL alert was read through the API within the detection target at p99 and the topology
 * had drained the backlog within a second of the sending's end.
 */
final class LivePhase {

    static final int INCIDENTS_PER_STEP = 20;
    static final long BACKGROUND_SECONDS = 20;
    /** Issue #5's target for a crossing event to its alert in the API. */
    static final double DETECTION_P99_TARGET_MS = 250;
    static final double DRAIN_SECONDS_KEPT = 1.0;
    static final double ACHIEVED_SHARE = 0.95;

    private final String bootstrap;
    private final String usageTopic;
    private final String alertsTopic;
    private final ApiClient api;
    private final Progress progress;
    private final RecordSigningKeys signingKeys;
    private final int keys;
    private final long seed;
    private final Path workDir;

    LivePhase(String bootstrap, String usageTopic, String alertsTopic, ApiClient api, Progress progress,
              RecordSigningKeys signingKeys, int keys, long seed, Path workDir) {
        this.bootstrap = bootstrap;
        this.usageTopic = usageTopic;
        this.alertsTopic = alertsTopic;
        this.api = api;
        this.progress = progress;
        this.signingKeys = signingKeys;
        this.keys = keys;
        this.seed = seed;
        this.workDir = workDir;
    }

    /** The incident keys of a step (registered with auto-revoke on before the run, like the detection phase's). */
    static List<String> stepKeyIds(int rate) {
        List<String> ids = new ArrayList<>(INCIDENTS_PER_STEP);
        for (int i = 1; i <= INCIDENTS_PER_STEP; i++) {
            ids.add(String.format(Locale.ROOT, "bench-live-%d-%03d", rate, i));
        }
        return ids;
    }

    static List<String> allKeyIds(List<Integer> rates) {
        List<String> ids = new ArrayList<>();
        rates.forEach(rate -> ids.addAll(stepKeyIds(rate)));
        return ids;
    }

    BenchReport.Live run(List<Integer> rates, double bulkRate, LongSupplier lagProbe) throws Exception {
        List<BenchReport.LiveStep> steps = new ArrayList<>();
        for (int rate : rates) {
            progress.say("live: %,d events/s from a child JVM for %d s, %d incidents", rate, BACKGROUND_SECONDS,
                    INCIDENTS_PER_STEP);
            IncidentPhase.Result result = new IncidentPhase(bootstrap, usageTopic, alertsTopic, api, progress,
                    signingKeys).run(topic -> PublisherProcess.start(bootstrap, topic, keys, seed, rate,
                            BACKGROUND_SECONDS, workDir),
                    stepKeyIds(rate), rate, lagProbe);
            boolean kept = kept(rate, result.achievedRate(), result.detection(), result.drainSeconds());
            steps.add(new BenchReport.LiveStep(rate, result.achievedRate(), result.sustainedRate(),
                    result.backlogAtEnd(), result.drainSeconds(), INCIDENTS_PER_STEP, result.detection(),
                    result.alertTopic(), kept));
            progress.say("live: %,d events/s asked, %,.0f sent, kept up with %,.0f; detection p99 %.0f ms: %s", rate,
                    result.achievedRate(), result.sustainedRate(), result.detection().p99Ms(),
                    kept ? "kept" : "not kept");
        }
        return new BenchReport.Live(steps, DETECTION_P99_TARGET_MS, sustained(steps), bulkRate);
    }

    /** The highest asked rate at which this step and every step at a lower rate were kept; 0 when the lowest was not. */
    static int sustained(List<BenchReport.LiveStep> steps) {
        int sustained = 0;
        List<BenchReport.LiveStep> byRate = new ArrayList<>(steps);
        byRate.sort(java.util.Comparator.comparingInt(BenchReport.LiveStep::targetRate));
        for (BenchReport.LiveStep step : byRate) {
            if (!step.kept()) {
                break;
            }
            sustained = step.targetRate();
        }
        return sustained;
    }

    /**
     * Kept: the child sent at least {@value #ACHIEVED_SHARE} of the asked rate (a publisher that fell behind measured
     * a lower rate than the step claims), every incident was detected within the target at p99, and the backlog
     * drained within {@value #DRAIN_SECONDS_KEPT} s.
     */
    static boolean kept(int rate, double achievedRate, Latencies detection, double drainSeconds) {
        return achievedRate >= ACHIEVED_SHARE * rate
                && detection.samples() == INCIDENTS_PER_STEP && detection.p99Ms() >= 0
                && detection.p99Ms() <= DETECTION_P99_TARGET_MS && drainSeconds <= DRAIN_SECONDS_KEPT;
    }
}
