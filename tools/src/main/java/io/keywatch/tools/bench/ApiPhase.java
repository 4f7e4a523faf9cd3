package io.keywatch.tools.bench;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Phase 4: many synthetic alerts copied straight into PostgreSQL (COPY), then concurrent clients in a child JVM
 * listing them through GET /api/v1/alerts with the filters a security team uses, following nextCursor for a page or
 * two ({@link ApiLoad}), and the same clients on the same bytes from memory ({@link SameBytesRoute}).
 */
final class ApiPhase {

    /** The traffic rules synthetic alerts are spread over. */
    static final List<String> RULES = List.of("VOLUME_SPIKE", "AUTH_FAILURE_BURST", "REVOKED_KEY_USED",
            "EXPIRED_KEY_USED", "SCOPE_VIOLATION", "RATE_LIMIT_EXCEEDED", "IP_FANOUT", "NEW_COUNTRY",
            "INSECURE_TRANSPORT", "KEY_IN_URL");
    static final List<String> SEVERITIES = List.of("LOW", "MEDIUM", "HIGH", "CRITICAL");
    private static final int COPY_CHUNK = 20_000;
    private static final Duration SPREAD = Duration.ofDays(30);
    /** Unmeasured requests before the timed window (never longer than the window itself). */
    static final Duration WARM_UP = Duration.ofSeconds(5);

    private final ApiClient api;
    private final int port;
    private final String token;
    private final Progress progress;

    ApiPhase(ApiClient api, int port, String token, Progress progress) {
        this.api = api;
        this.port = port;
        this.token = token;
        this.progress = progress;
    }

    /**
     * Copies {@code count} alerts into the alerts table; returns the seconds it took. Alert i is about key
     * {@code i % keys} and rule {@code (i / keys) % rules}, so the first keys × rules alerts are each the one open alert
     * of their (rule, key) fingerprint, as the unique index demands; the later ones are resolved.
     */
    double insert(String jdbcUrl, String user, String password, String[] keyIds, int count, Instant now)
            throws Exception {
        long start = System.nanoTime();
        long openLimit = (long) keyIds.length * RULES.size();
        SplittableRandom rng = new SplittableRandom(5);
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            String sql = "COPY alerts (id, rule, severity, severity_rank, key_id, window_start, window_end, "
                    + "triggered_at, detected_at, observed, threshold, baseline, summary, evidence, status, stored_at, "
                    + "fingerprint, occurrences, last_seen, resolution, resolved_at, resolved_by, updated_at) "
                    + "FROM STDIN (FORMAT csv)";
            StringBuilder rows = new StringBuilder(COPY_CHUNK * 300);
            for (int i = 0; i < count; i++) {
                appendRow(rows, i, keyIds, openLimit, rng, now);
                if ((i + 1) % COPY_CHUNK == 0 || i == count - 1) {
                    copy.copyIn(sql, new StringReader(rows.toString()));
                    rows.setLength(0);
                    if ((i + 1) % (COPY_CHUNK * 10) == 0) {
                        progress.say("api: %,d of %,d alerts copied", i + 1, count);
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("ANALYZE alerts");
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void appendRow(StringBuilder out, int i, String[] keyIds, long openLimit, SplittableRandom rng,
                                  Instant now) {
        String keyId = keyIds[i % keyIds.length];
        String rule = RULES.get((i / keyIds.length) % RULES.size());
        int rank = pickSeverity(rng);
        Instant detected = now.minusMillis(rng.nextLong(SPREAD.toMillis())).truncatedTo(ChronoUnit.MILLIS);
        Instant windowStart = detected.truncatedTo(ChronoUnit.MINUTES);
        boolean open = i < openLimit;
        double threshold = 100;
        double observed = threshold * (1.2 + rng.nextDouble() * 4);
        out.append("bench-alert-").append(i).append(',')
                .append(rule).append(',')
                .append(SEVERITIES.get(rank)).append(',')
                .append(rank).append(',')
                .append(keyId).append(',')
                .append(windowStart).append(',')
                .append(windowStart.plusSeconds(60)).append(',')
                .append(detected.minusSeconds(2)).append(',')
                .append(detected).append(',')
                .append(String.format(java.util.Locale.ROOT, "%.1f", observed)).append(',')
                .append(threshold).append(',')
                .append(threshold / 4).append(',')
                .append("\"Synthetic bench alert: ").append(rule).append(" on key ").append(keyId).append("\",")
                .append("\"{\"\"bench\"\": true}\"").append(',')
                .append(open ? "OPEN" : "RESOLVED").append(',')
                .append(detected).append(',')
                .append(rule).append(':').append(keyId).append(',')
                .append(1 + rng.nextInt(5)).append(',')
                .append(detected.plusSeconds(rng.nextInt(600))).append(',')
                .append(open ? "" : "auto_resolved").append(',')
                .append(open ? "" : detected.plusSeconds(3600).toString()).append(',')
                .append(open ? "" : "system").append(',')
                .append(detected).append('\n');
    }

    /** Mostly LOW and MEDIUM, fewer HIGH, few CRITICAL, as real alert streams look. */
    private static int pickSeverity(SplittableRandom rng) {
        int x = rng.nextInt(100);
        return x < 40 ? 0 : x < 75 ? 1 : x < 93 ? 2 : 3;
    }

    /**
     * Runs the clients in a child JVM ({@link ApiLoadProcess}) on the typical lists, then, in the same way and for as
     * long, on {@link SameBytesRoute} serving a full page of this run's own alerts: the list's throughput and latency
     * next to what the same server, authentication and bytes cost without the list's work. Then both again for the
     * compact view ({@code view=summary}) and a page of it. Each run has a warm-up (up to {@link #WARM_UP}, never
     * longer than the run) that is not measured. The clients hold {@code token}, a viewer's, not the admin's.
     */
    BenchReport.Api query(String[] keyIds, long alerts, double insertSeconds, int clients, Duration duration,
                          Instant now, SameBytesRoute sameBytes, Path workDir) throws Exception {
        byte[] fullPage = page("/api/v1/alerts?limit=50");
        byte[] summaryPage = page("/api/v1/alerts?limit=50&view=summary");
        Duration warmUp = duration.compareTo(WARM_UP) < 0 ? duration : WARM_UP;
        ApiLoadProcess load = new ApiLoadProcess(port, token, keyIds, now, workDir);
        progress.say("api: %d clients (%s, a viewer token) on GET /api/v1/alerts for %d s", clients,
                ApiLoadProcess.DESCRIPTION, duration.toSeconds());
        BenchReport.ApiRun list = load.run(ApiLoad.LIST, clients, warmUp, duration);
        progress.say("api: the same clients on a page of it (%,d bytes) from memory for %d s", fullPage.length,
                duration.toSeconds());
        sameBytes.serve(fullPage);
        BenchReport.ApiRun same = load.run(SameBytesRoute.PATH, clients, warmUp, duration);
        progress.say("api: the same clients on GET /api/v1/alerts?view=summary for %d s", duration.toSeconds());
        BenchReport.ApiRun summaryList = load.run(ApiLoad.SUMMARY_LIST, clients, warmUp, duration);
        progress.say("api: the same clients on a page of it (%,d bytes) from memory for %d s", summaryPage.length,
                duration.toSeconds());
        sameBytes.serve(summaryPage);
        BenchReport.ApiRun summarySame = load.run(SameBytesRoute.PATH, clients, warmUp, duration);
        return new BenchReport.Api(alerts, insertSeconds, clients, ApiLoadProcess.DESCRIPTION, ViewerToken.ROLE,
                list, same, BenchReport.Api.ratio(list, same), summaryList, summarySame,
                BenchReport.Api.ratio(summaryList, summarySame));
    }

    private byte[] page(String path) throws Exception {
        HttpResponse<String> page = api.get(path);
        if (page.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + page.statusCode());
        }
        return page.body().getBytes(StandardCharsets.UTF_8);
    }
}
