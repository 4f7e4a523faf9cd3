package io.keywatch.api.metrics;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code keywatch_http_requests_seconds{method,route,status}}: every answer of the API, by the matched route's
 * <em>template</em> ({@code /api/v1/keys/{keyId}}), never the path asked for: a flood of made-up paths or key ids
 * must not add series. A path no route matched is {@code unmatched}; a template that is not a registered route (it
 * cannot happen, but the label set must stay bounded whatever Javalin reports) is too.
 */
public final class HttpMetrics {

    /** The route label of a request no registered route matched (404s, static files, Jetty's own errors). */
    public static final String UNMATCHED = "unmatched";
    /** The method label of any method but the standard ones (Javalin 7 names a made-up method after itself). */
    public static final String OTHER_METHOD = "OTHER";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT");

    private final MeterRegistry registry;
    private final Set<String> routes = ConcurrentHashMap.newKeySet();
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    private record Key(String method, String route, int status) {
    }

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A route template the server registered: only these become labels. */
    public void routeAdded(String template) {
        routes.add(template);
    }

    /** Javalin's request logger: called once per answered request, with its duration. */
    public void record(Context ctx, Float millis) {
        String route = route(ctx);
        // a method a client made up is OTHER (Javalin 7's HandlerType is a record named after whatever was sent),
        // and a status the server chose: both bounded
        String method = METHODS.contains(ctx.method().name()) ? ctx.method().name() : OTHER_METHOD;
        int status = ctx.statusCode();
        if (status < 100 || status > 599) {
            status = 0;
        }
        Timer timer = timers.computeIfAbsent(new Key(method, route, status), key -> Timer.builder("keywatch.http.requests")
                .description("HTTP requests the API answered, by method, route template and status")
                .tag("method", key.method())
                .tag("route", key.route())
                .tag("status", Integer.toString(key.status()))
                .register(registry));
        timer.record(millis == null ? 0 : (long) (millis * 1000), TimeUnit.MICROSECONDS);
    }

    private String route(Context ctx) {
        Endpoint endpoint;
        try {
            endpoint = ctx.endpoints().matchedHttpEndpoint();
        } catch (RuntimeException e) {
            // no HTTP endpoint matched (a before-handler or Jetty answered first): nothing to name
            return UNMATCHED;
        }
        return endpoint != null && routes.contains(endpoint.path) ? endpoint.path : UNMATCHED;
    }
}
