package io.keywatch.tools.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients on one API route for a warm-up (not measured) and then a timed window: either the alert lists a
 * security team asks for, following nextCursor for a page or two ({@link #LIST}), or one fixed path. Runs in the
 * child JVM ({@link ApiLoadMain}), so that the measured server has the machine's cores to itself but for the clients'.
 */
final class ApiLoad {

    /** The mode that sends {@link #typicalQuery} lists instead of one path. */
    static final String LIST = "list";
    /** The same lists in the compact view ({@code view=summary}). */
    static final String SUMMARY_LIST = "summary-list";

    private static final JsonFactory JSON = new JsonFactory();

    private final ApiClient api;
    private final String[] keyIds;
    private final Instant now;

    ApiLoad(ApiClient api, String[] keyIds, Instant now) {
        this.api = api;
        this.keyIds = keyIds;
        this.now = now;
    }

    /**
     * Without the warm-up the first seconds measure the JIT compiling the list path (the earlier phases never ran it),
     * not the API: on two cores that alone took the first 15 s from ~250 to ~80 requests/s.
     */
    BenchReport.ApiRun run(String mode, int clients, Duration warmUp, Duration duration) throws InterruptedException {
        LatencyRecorder latency = new LatencyRecorder();
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime() + warmUp.toNanos();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            SplittableRandom rng = new SplittableRandom(100 + c);
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    boolean list = isList(mode);
                    String query = list ? typicalQuery(rng, keyIds, now) : null;
                    int pages = list ? 1 + rng.nextInt(3) : 1;
                    String cursor = null;
                    for (int p = 0; p < pages && System.nanoTime() < end; p++) {
                        String path = !list ? mode : listPath(mode) + (mode.equals(SUMMARY_LIST) ? "&" : "?") + query
                                + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                        try {
                            long t0 = System.nanoTime();
                            HttpResponse<String> response = api.get(path);
                            boolean measured = t0 >= start;
                            if (measured) {
                                latency.record(System.nanoTime() - t0);
                                requests.incrementAndGet();
                                bytes.addAndGet(response.body().getBytes(StandardCharsets.UTF_8).length);
                            }
                            if (response.statusCode() != 200) {
                                if (measured) {
                                    errors.incrementAndGet();
                                }
                                break;
                            }
                            cursor = list ? nextCursor(response.body()) : null;
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
        long n = requests.get();
        return new BenchReport.ApiRun(isList(mode) ? listPath(mode) : mode, clients, seconds, n, errors.get(), n / seconds,
                n == 0 ? 0 : (double) bytes.get() / n, latency.summary());
    }

    private static boolean isList(String mode) {
        return mode.equals(LIST) || mode.equals(SUMMARY_LIST);
    }

    /** The list route of a list mode, with its view. */
    static String listPath(String mode) {
        return mode.equals(SUMMARY_LIST) ? "/api/v1/alerts?view=summary" : "/api/v1/alerts";
    }

    /**
     * The page's nextCursor, null on the last page. Streams past the items instead of building a tree of them: the
     * clients share the two CPUs with the server they measure, so they should cost it as little as a script would.
     */
    static String nextCursor(String body) throws IOException {
        try (JsonParser parser = JSON.createParser(body)) {
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
        String rule = ApiPhase.RULES.get(rng.nextInt(ApiPhase.RULES.size()));
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
