package io.keywatch.standalone.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.keywatch.api.usage.HttpUsageSource;
import io.keywatch.api.usage.UsageMinute;
import io.keywatch.api.usage.UsageSource;
import io.keywatch.api.usage.UsageUnavailableException;
import io.keywatch.events.KeyIds;
import io.keywatch.events.KeywatchJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /usage/{keyId}?from=&to=} on the streams-alone health server, for the API in another process
 * ({@code KEYWATCH_STREAMS_QUERY_URL}): the key's minutes from this instance's state, or, when another instance's
 * task holds the key, from that instance (one hop, marked so that it is never forwarded again). Only callers with
 * the shared token ({@code KEYWATCH_STREAMS_QUERY_TOKEN}) are answered.
 */
public final class UsageQueryRoute {

    private static final Logger LOG = LoggerFactory.getLogger(UsageQueryRoute.class);
    /** The one shared token of the usage query, named where the API reads it. */
    public static final String TOKEN_VAR = HttpUsageSource.TOKEN_VAR;
    static final String FORWARDED_HEADER = "X-Keywatch-Forwarded";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    /** Usage queries answered at once; the health server has four threads and probes must always find one. */
    static final int MAX_IN_FLIGHT = 2;

    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    private final UsageSource local;
    /** The {@code host:port} of the instance holding a key when not this one; throws IllegalStateException when unknown. */
    private final Function<String, Optional<String>> ownerElsewhere;
    private final byte[] token;
    private final ObjectMapper json = KeywatchJson.newMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public UsageQueryRoute(UsageSource local, Function<String, Optional<String>> ownerElsewhere, String token) {
        this.local = local;
        this.ownerElsewhere = ownerElsewhere;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** Answers one request whose path starts with {@code /usage/}. */
    void answer(HttpExchange exchange) throws IOException {
        // the health server's few threads serve the probes too: usage queries (which may wait on another instance)
        // never take more than half of them, and a liveness probe never queues behind a slow forward
        if (!inFlight.tryAcquire()) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            send(exchange, 503, Map.of("status", 503, "message", "too many usage queries at once"));
            return;
        }
        try {
            answerWithin(exchange);
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            // a malformed escape, an instant out of range: the caller's mistake, never a thread's end
            send(exchange, 400, Map.of("status", 400, "message", "malformed usage query"));
        } finally {
            inFlight.release();
        }
    }

    private void answerWithin(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null
                || !MessageDigest.isEqual(token, authorization.getBytes(StandardCharsets.UTF_8))) {
            send(exchange, 401, Map.of("status", 401, "message", "a valid " + TOKEN_VAR + " bearer token is needed"));
            return;
        }
        String keyId = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/usage/".length()),
                StandardCharsets.UTF_8);
        String problem = KeyIds.problem(keyId);
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Instant from;
        Instant to;
        try {
            from = Instant.parse(query.getOrDefault("from", ""));
            to = Instant.parse(query.getOrDefault("to", ""));
        } catch (DateTimeParseException e) {
            send(exchange, 400, Map.of("status", 400, "message", "from and to must be ISO-8601 instants"));
            return;
        }
        if (from.isBefore(EARLIEST) || to.isAfter(LATEST)) {
            send(exchange, 400, Map.of("status", 400, "message", "from and to must lie in 2000-2100"));
            return;
        }
        if (problem != null || !from.isBefore(to)) {
            send(exchange, 400, Map.of("status", 400, "message",
                    problem != null ? "keyId " + problem : "from must be before to"));
            return;
        }
        try {
            boolean forwarded = exchange.getRequestHeaders().getFirst(FORWARDED_HEADER) != null;
            Optional<String> owner = ownerElsewhere.apply(keyId);
            if (owner.isPresent() && !forwarded) {
                forward(exchange, owner.get(), authorization);
                return;
            }
            if (owner.isPresent()) {
                throw new IllegalStateException("the key moved while the query was forwarded");
            }
            List<UsageMinute> minutes = local.minutes(keyId, from, to);
            send(exchange, 200, Map.of("minutes", minutes));
        } catch (IllegalStateException | UsageUnavailableException e) {
            // worth retrying in a moment (rebalancing, restoring); the message names states, never the key
            LOG.info("usage query answered 503: {}", e.getMessage());
            exchange.getResponseHeaders().set("Retry-After", "5");
            send(exchange, 503, Map.of("status", 503, "message", "the usage store cannot be queried now"));
        }
    }

    private void forward(HttpExchange exchange, String owner, String authorization) throws IOException {
        URI uri;
        try {
            uri = URI.create("http://" + owner + exchange.getRequestURI().getRawPath() + "?"
                    + exchange.getRequestURI().getRawQuery());
        } catch (IllegalArgumentException e) {
            // the owner's advertised address (application.server) is not a host:port: not the caller's mistake
            throw new IllegalStateException("the instance holding the key advertises no usable address", e);
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", authorization)
                    .header(FORWARDED_HEADER, "1").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("the instance holding the key cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        answer.headers().firstValue("Retry-After").ifPresent(v -> exchange.getResponseHeaders().set("Retry-After", v));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
        if (answer.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
