package io.keywatch.api.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every answer an {@link ApiClient} received during the current test class, for {@link OpenApiConformance} to check
 * against the OpenAPI document when the class ends ({@link SharedInfra}). One per test JVM on purpose: the clients are
 * made in many places (each test class builds its own), and what they saw must reach the check without each test
 * passing a recorder around. Bounded: at most {@link #PER_KIND} bodies per method, path and status are kept (fuzz and
 * abuse tests send thousands of alike requests).
 */
public final class RecordedResponses {

    static final int PER_KIND = 40;

    /** One answer: the request's method and raw path (no query), the status, content type and body. */
    public record Exchange(String method, String path, int status, String contentType, String body) {
    }

    private static final RecordedResponses SHARED = new RecordedResponses();

    private final ConcurrentLinkedQueue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> perKind = new ConcurrentHashMap<>();

    public static RecordedResponses shared() {
        return SHARED;
    }

    public void record(String method, String path, int status, String contentType, String body) {
        if (perKind.computeIfAbsent(method + " " + path + " " + status, k -> new AtomicInteger())
                .incrementAndGet() <= PER_KIND) {
            exchanges.add(new Exchange(method, path, status, contentType, body));
        }
    }

    /** What was recorded since the last call, and forgets it. */
    public synchronized List<Exchange> drain() {
        List<Exchange> all = new ArrayList<>();
        for (Exchange e; (e = exchanges.poll()) != null; ) {
            all.add(e);
        }
        perKind.clear();
        return all;
    }
}
