package io.keywatch.tools.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.KeywatchJson;
import java.io.IOException;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Phase 4: many synthetic alerts copied straight into PostgreSQL (COPY), then concurrent clients listing them through
 * GET /api/v1/alerts with the filters a security team uses, following nextCursor for a page or two.
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
    private final Progress progress;
    private final ObjectMapper json = KeywatchJson.newMapper();

    ApiPhase(ApiClient api, Progress progress) {
        this.api = api;
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
     * Runs the clients for a warm-up (up to {@link #WARM_UP}, not measured) and then for the duration; latency per
     * request. Without the warm-up the first seconds measure the JIT compiling the list path (the earlier phases never
     * ran it), not the API: on two cores that alone took the first 15 s from ~250 to ~80 requests/s.
     */
    BenchReport.Api query(String[] keyIds, long alerts, double insertSeconds, int clients, Duration duration,
                          Instant now) throws InterruptedException {
        LatencyRecorder latency = new LatencyRecorder();
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime() + Math.min(WARM_UP.toNanos(), duration.toNanos());
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            SplittableRandom rng = new SplittableRandom(100 + c);
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    String query = typicalQuery(rng, keyIds, now);
                    int pages = 1 + rng.nextInt(3);
                    String cursor = null;
                    for (int p = 0; p < pages && System.nanoTime() < end; p++) {
                        String path = "/api/v1/alerts?" + query
                                + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                        try {
                            long t0 = System.nanoTime();
                            HttpResponse<String> response = api.get(path);
                            boolean measured = t0 >= start;
                            if (measured) {
                                latency.record(System.nanoTime() - t0);
                                requests.incrementAndGet();
                            }
                            if (response.statusCode() != 200) {
                                if (measured) {
                                    errors.incrementAndGet();
                                }
                                break;
                            }
                            cursor = nextCursor(response.body());
                            if (cursor == null) {
                                break;
                            }
                        } catch (InterruptedException e) {
                            return;
                        } catch (Exception e) {
                            if (System.nanoTime() >= start) {
                                errors.incrementAndGet();
                            }
                            break;
                        }
                    }
                }
            }, "bench-api-client-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new BenchReport.Api(alerts, insertSeconds, clients, seconds, requests.get(), errors.get(),
                requests.get() / seconds, latency.summary());
    }

    /**
     * The page's nextCursor, null on the last page. Streams past the items instead of building a tree of them: the
     * clients share the two CPUs with the server they measure, so they should cost it as little as a script would.
     */
    String nextCursor(String body) throws IOException {
        try (JsonParser parser = json.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the alert list is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("nextCursor")) {
                    return value == JsonToken.VALUE_NULL ? null : parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        }
    }

    /** One of the lists a security team asks for, 50 per page. */
    static String typicalQuery(SplittableRandom rng, String[] keyIds, Instant now) {
        String key = URLEncoder.encode(keyIds[rng.nextInt(keyIds.length)], StandardCharsets.UTF_8);
        String rule = RULES.get(rng.nextInt(RULES.size()));
        String since = now.minus(Duration.ofDays(1 + rng.nextInt(7))).toString();
        return switch (rng.nextInt(5)) {
            case 0 -> "limit=50&keyId=" + key;
            case 1 -> "limit=50&rule=" + rule;
            case 2 -> "limit=50&severity=HIGH";
            case 3 -> "limit=50&since=" + since;
            default -> "limit=50&rule=" + rule + "&severity=HIGH&since=" + since;
        };
    }
}
