package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.keys.KeyMetadataParser;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.OpenApiConformance;
import io.keywatch.api.support.RecordedResponses.Exchange;
import io.keywatch.api.support.HostileRequests;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.api.alerts.stream.AlertStreamSettings;
import io.keywatch.api.usage.UsageMinute;
import io.keywatch.api.usage.UsageSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every route of the real API (real PostgreSQL and Kafka), over real HTTP: each input picks a route (or an unknown
 * path), a method, path segments, query parameters (the route's own names and random ones) and a body (JSON with
 * the route's field names and fuzzed values, or raw bytes). The answer is never a 5xx (but a 503 from /health,
 * which reports), and every 4xx is the one JSON error shape. The seeds in {@code ApiFuzzTestInputs} replay the
 * requests of issue #10 ({@link HostileRequests}); {@code mvn verify} replays the committed corpus in seconds.
 * Fuzzing for real: README, "Fuzzing".
 */
@ExtendWith(SharedInfra.class)
class ApiFuzzTest {

    /** A route of the README's API table: its method, path template, query parameter names and body fields. */
    record Route(String method, String template, List<String> query, List<String> fields) {
    }

    private static final List<String> PAGE = List.of("limit", "cursor");
    static final List<Route> ROUTES = List.of(
            new Route("GET", "/health", List.of(), List.of()),
            new Route("GET", "/api/v1/me", List.of(), List.of()),
            // the console's files (public, static): traversal and odd names must stay 404s in the one shape
            new Route("GET", "/js/{x}", List.of(), List.of()),
            new Route("GET", "/js/pages/{x}", List.of(), List.of()),
            new Route("GET", "/api/v1/alerts", List.of("keyId", "rule", "severity", "status", "silenced", "since",
                    "until", "limit", "cursor", "view"), List.of()),
            new Route("GET", "/api/v1/alerts/stream", List.of("keyId", "rule", "severity", "status", "silenced",
                    "lastEventId"), List.of()),
            new Route("GET", "/api/v1/alerts/{id}", List.of(), List.of()),
            new Route("GET", "/api/v1/alerts/{id}/history", List.of(), List.of()),
            new Route("GET", "/api/v1/alerts/{id}/timeline", List.of(), List.of()),
            new Route("POST", "/api/v1/alerts/{id}/acknowledge", List.of(), List.of("note")),
            new Route("POST", "/api/v1/alerts/{id}/resolve", List.of(), List.of("resolution", "note")),
            new Route("GET", "/api/v1/keys", List.of("owner", "service", "status", "canary", "q", "limit",
                    "cursor"), List.of()),
            new Route("POST", "/api/v1/keys/canaries", List.of(),
                    List.of("plantedAt", "owner", "service", "scopes", "prefix")),
            new Route("GET", "/api/v1/keys/{keyId}", List.of(), List.of()),
            new Route("PUT", "/api/v1/keys/{keyId}", List.of(), List.copyOf(KeyMetadataParser.FIELDS)),
            new Route("GET", "/api/v1/keys/{keyId}/usage", List.of("from", "to", "step"), List.of()),
            new Route("POST", "/api/v1/keys/{keyId}/revoke", List.of(), List.of("reason")),
            new Route("POST", "/api/v1/keys/{keyId}/reinstate", List.of(), List.of("reason")),
            new Route("GET", "/api/v1/reports/least-privilege", List.of("days", "owner", "service", "limit",
                    "cursor"), List.of()),
            new Route("GET", "/api/v1/reports/least-privilege/{keyId}", List.of("days"), List.of()),
            new Route("GET", "/api/v1/revocations", List.of("status", "keyId", "limit", "cursor"), List.of()),
            new Route("GET", "/api/v1/revocations/{id}", List.of(), List.of()),
            new Route("POST", "/api/v1/revocations/{id}/approve", List.of(), List.of("note")),
            new Route("POST", "/api/v1/revocations/{id}/deny", List.of(), List.of("note")),
            new Route("GET", "/api/v1/audit", List.of("keyId", "action", "since", "until", "limit", "cursor"),
                    List.of()),
            new Route("POST", "/api/v1/webhooks", List.of(),
                    List.of("url", "eventTypes", "owner", "service", "description")),
            new Route("GET", "/api/v1/webhooks", List.of("state"), List.of()),
            new Route("GET", "/api/v1/webhooks/{id}", List.of(), List.of()),
            new Route("DELETE", "/api/v1/webhooks/{id}", List.of(), List.of()),
            new Route("GET", "/api/v1/webhooks/{id}/deliveries", List.of("status", "limit", "cursor"), List.of()),
            new Route("POST", "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", List.of(), List.of()),
            new Route("POST", "/api/v1/webhooks/{id}/recover", List.of(), List.of("since", "until")),
            new Route("POST", "/api/v1/webhooks/{id}/rotate-secret", List.of(), List.of("graceHours")),
            new Route("GET", "/api/v1/silences", List.of("all"), List.of()),
            new Route("POST", "/api/v1/silences", List.of(),
                    List.of("keyId", "rule", "expiresAt", "comment", "createdBy")),
            new Route("DELETE", "/api/v1/silences/{id}", List.of(), List.of()),
            new Route("POST", "/api/v1/tokens", List.of(), List.of("name", "role", "expiresInDays", "description")),
            new Route("GET", "/api/v1/tokens", List.of(), List.of()),
            new Route("GET", "/api/v1/tokens/{id}", List.of(), List.of()),
            new Route("DELETE", "/api/v1/tokens/{id}", List.of(), List.of()),
            new Route("GET", "/api/v1/approvals", List.of("status"), List.of()),
            new Route("GET", "/api/v1/approvals/{id}", List.of(), List.of()),
            new Route("POST", "/api/v1/approvals/{id}/approve", List.of(), List.of("note")),
            new Route("POST", "/api/v1/approvals/{id}/deny", List.of(), List.of("note")),
            // not routes: Javalin's 404/405 and the auth filter on unknown /api/ paths
            new Route("GET", "/{x}", List.of(), List.of()),
            new Route("GET", "/api/v1/{x}", List.of(), List.of()),
            new Route("POST", "/api/v2/alerts/{x}", List.of(), List.of()));
    /** Jetty's request line limit is 8 KiB. */
    private static final int MAX_URI = 7_000;
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
    private static final Set<String> ERROR_FIELDS = Set.of("status", "error", "message");
    /** Values that pass or nearly pass validation, so that inputs reach the stores as well as the checks. */
    private static final String[] SAMPLES = {"hostile-ack", "hostile-registered", "hostile-revoked", "key_live_42",
        "VOLUME_SPIKE", "HIGH", "OPEN", "REVOKED", "PENDING_APPROVAL", "DELIVERED", "fixed", "other", "true", "1",
        "500", "0", "-1", "2147483648", "2026-11-27T19:00:00Z", "2026-11-27T19:00:00+01:00", "1970-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999Z", "+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
        "http://127.0.0.1:9/hook", "https://localhost:9/hook", "key.revoked", "DE", "10.0.0.0/8", "2001:db8::/32",
        "invoices:read", "team-billing", "viewer", "admin", "kw_abcd1234_",  "a\u0000b", "\ud800", "\u202e", "x".repeat(300), "%00", "%zz", "\\u0000"};

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The OpenAPI document the API serves: every answer must be one it describes (README: API reference). */
    private static final OpenApiConformance DOCUMENT = OpenApiConformance.load();
    private static final Map<String, Long> STATUS_CLASSES = new ConcurrentSkipListMap<>();
    private static final AtomicLong STALE_CONNECTIONS = new AtomicLong();
    private static AlertsApiService service;
    private static HttpClient http;
    private static String baseUrl;
    private static SilentCloseable loopbackOnly;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        // four eyes on: the approval requests' routes get fuzzed too
        service = new AlertsApiService(TestServices.settings(postgres, broker).withWebhooks(TestServices.webhooks())
                        .withFourEyes(io.keywatch.api.approvals.FourEyesSettings.DEFAULTS),
                null)
                // a usage source that never saw traffic: the usage route answers (its 503 without one is documented)
                .withUsageSource(new NoTraffic())
                // opened streams are closed at once: a short heartbeat finds them gone and frees their places
                .withAlertStream(AlertStreamSettings.DEFAULTS.withHeartbeat(Duration.ofMillis(100)))
                .start();
        baseUrl = "http://localhost:" + service.port();
        http = newClient();
        HostileRequests.prepare(service, new ApiClient(service.port(), TestServices.TOKEN));
    }

    /** Usage of keys that never had traffic. */
    private static final class NoTraffic implements UsageSource {
        @Override
        public String name() {
            return "topology";
        }

        @Override
        public Duration retention() {
            return Duration.ofMinutes(120);
        }

        @Override
        public List<UsageMinute> minutes(String keyId, Instant from, Instant to) {
            return List.of();
        }
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stopService() {
        // the figures a fuzzing run reports (README: The API)
        System.err.println("ApiFuzzTest: responses by status class " + STATUS_CLASSES + ", retried on a new "
                + "connection " + STALE_CONNECTIONS.get());
        if (service != null) {
            service.close();
        }
        if (loopbackOnly != null) {
            loopbackOnly.close();
        }
    }

    @FuzzTest
    void noRequestIsAnsweredWithA5xx(FuzzedDataProvider data) throws IOException, InterruptedException {
        allowLoopbackOnly();
        Request request = data.consumeInt(0, 255) == 255 ? known(data) : fuzzed(data);
        if (request.pathAndQuery().length() > MAX_URI) {
            // Jetty answers 414 and closes the connection, sometimes before the client has read the answer;
            // HostileRequestsHttpTest checks that 414 (a 10,000-character key id)
            return;
        }
        URI uri;
        try {
            uri = URI.create(baseUrl + request.pathAndQuery());
        } catch (IllegalArgumentException e) {
            return; // not a URI any HTTP client sends
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (request.authorized()) {
            builder.header("Authorization", "Bearer " + TestServices.TOKEN);
        }
        header(builder, "Content-Type", request.contentType());
        header(builder, "X-Keywatch-Actor", request.actor());
        HttpRequest built = builder.build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException stale) {
            // a pooled connection the server closed after an earlier error answer (Jetty does not read the body of
            // a request it refuses): again on a new connection, from a new client. A second failure is a finding.
            STALE_CONNECTIONS.incrementAndGet();
            http = newClient();
            response = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
        }
        STATUS_CLASSES.merge(response.statusCode() / 100 + "xx", 1L, Long::sum);
        if (response.statusCode() == 200 && response.headers().firstValue("Content-Type").orElse("")
                .startsWith("text/event-stream")) {
            // an alert stream never ends: that it opened is the answer
            response.body().close();
            return;
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readAllBytes();
        }
        check(request, response.statusCode(), response.headers(), body);
    }

    /**
     * The API, PostgreSQL, Kafka and the webhook receiver the test settings allow are all on loopback; a connection
     * anywhere else is a finding (Jazzer's SSRF detector, configured where Jazzer wants it: in the fuzz test, once,
     * for every thread). Without Jazzer's agent (plain replay) there is no detector to configure.
     */
    private static synchronized void allowLoopbackOnly() {
        if (loopbackOnly != null) {
            return;
        }
        try {
            loopbackOnly = BugDetectors.allowNetworkConnections((host, port) -> isLoopback(host));
        } catch (IllegalStateException e) {
            loopbackOnly = () -> { };
        }
    }

    private static void header(HttpRequest.Builder builder, String name, String value) {
        if (value == null) {
            return;
        }
        try {
            builder.header(name, value);
        } catch (IllegalArgumentException e) {
            // a value HttpClient refuses to send (a control character): the request goes without the header
        }
    }

    private static void check(Request request, int status, HttpHeaders headers, byte[] bytes) throws IOException {
        boolean health = request.pathAndQuery().startsWith("/health");
        // a full instance answers a new stream 503 with Retry-After, in the one error shape
        boolean streamFull = status == 503 && request.pathAndQuery().startsWith("/api/v1/alerts/stream");
        String body = new String(bytes, StandardCharsets.UTF_8);
        if (status >= 500 && !(health && status == 503) && !streamFull) {
            fail(status + " for " + request + ": " + body);
        }
        if (status >= 400 && !health && !request.method().equals("HEAD")) {
            assertThat(headers.firstValue("Content-Type").orElse(""))
                    .as("%s for %s", status, request).startsWith("application/json");
            JsonNode json = JSON.readTree(bytes);
            assertThat(json.isObject()).as(body).isTrue();
            assertThat(fieldNames(json)).as(body).isEqualTo(ERROR_FIELDS);
            assertThat(json.path("status").asInt()).as(body).isEqualTo(status);
            assertThat(json.path("message").asText()).as(body).isNotBlank().doesNotContain("\u0000");
        }
        // a documented operation answers only documented statuses, content types and bodies
        String path = request.pathAndQuery().split("[?#]", 2)[0];
        assertThat(DOCUMENT.problems(List.of(new Exchange(request.method(), path, status,
                headers.firstValue("Content-Type").orElse(""), body)))).as("the OpenAPI document vs. the answer to %s",
                request).isEmpty();
    }

    /** One of the requests of issue #10, as a seed: the fuzzer mutates from there. */
    private static Request known(FuzzedDataProvider data) {
        HostileRequests.Case known = HostileRequests.CASES.get(data.consumeInt(0, HostileRequests.CASES.size() - 1));
        byte[] body = known.body() == null ? null : known.body().getBytes(StandardCharsets.UTF_8);
        return new Request(known.method(), known.path(), body, true, "application/json", null);
    }

    private static Request fuzzed(FuzzedDataProvider data) {
        Route route = data.pickValue(ROUTES);
        String method = data.consumeInt(0, 9) < 8 ? route.method() : data.pickValue(METHODS);
        StringBuilder path = new StringBuilder();
        for (String segment : route.template().substring(1).split("/")) {
            path.append('/').append(segment.startsWith("{") ? segment(data) : segment);
        }
        int params = data.consumeInt(0, 4);
        for (int i = 0; i < params; i++) {
            String name = !route.query().isEmpty() && data.consumeBoolean() ? data.pickValue(route.query())
                    : data.consumeBoolean() ? data.pickValue(PAGE) : encode(data.consumeString(12));
            path.append(i == 0 ? '?' : '&').append(name).append('=').append(value(data));
        }
        byte[] body = switch (data.consumeInt(0, 4)) {
            case 0 -> null;
            case 1 -> data.consumeBytes(data.consumeInt(0, 300));
            case 2 -> (objectOf(data, route.fields()) + rawTail(data)).getBytes(StandardCharsets.UTF_8);
            default -> objectOf(data, route.fields()).getBytes(StandardCharsets.UTF_8);
        };
        boolean authorized = data.consumeInt(0, 15) != 0;
        String contentType = data.consumeBoolean() ? "application/json" : data.consumeString(30);
        String actor = data.consumeInt(0, 7) == 0 ? data.consumeString(80) : null;
        return new Request(method, path.toString(), body, authorized, contentType, actor);
    }

    private static String segment(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> encode(data.pickValue(SAMPLES));
            case 1 -> data.consumeString(20); // raw: may be an invalid URI, or hold '%', '/', '?'
            default -> percentEncode(data.consumeBytes(data.consumeInt(0, 40)));
        };
    }

    private static String value(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> encode(data.pickValue(SAMPLES));
            case 1 -> data.consumeString(30);
            case 2 -> encode(HostileRequests.forgedCursor(data.pickValue(new String[] {"v1", "k1", "r1", "a1", "d1", "lp1"}),
                    data.consumeString(30), data.consumeString(30)));
            default -> percentEncode(data.consumeBytes(data.consumeInt(0, 60)));
        };
    }

    /** A JSON object text with some of the route's fields (and maybe others), each with a fuzzed JSON value. */
    private static String objectOf(FuzzedDataProvider data, List<String> fields) {
        StringBuilder out = new StringBuilder("{");
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            String name = !fields.isEmpty() && data.consumeInt(0, 4) != 0 ? data.pickValue(fields)
                    : data.consumeString(12);
            out.append(i == 0 ? "" : ",").append(jsonString(name)).append(':').append(jsonValue(data, 0));
        }
        return out.append('}').toString();
    }

    private static String jsonValue(FuzzedDataProvider data, int depth) {
        return switch (data.consumeInt(0, 9)) {
            case 0 -> jsonString(data.pickValue(SAMPLES));
            case 1 -> jsonString(data.consumeString(data.consumeInt(0, 3_000)));
            case 2 -> Long.toString(data.consumeLong());
            case 3 -> Double.toString(data.consumeDouble());
            case 4 -> data.consumeBoolean() ? "true" : "null";
            case 5 -> depth > 40 ? "1" : "[" + jsonValue(data, depth + 1) + "," + jsonValue(data, depth + 1) + "]";
            case 6 -> depth > 40 ? "2"
                    : "{" + jsonString(data.consumeString(10)) + ":" + jsonValue(data, depth + 1) + "}";
            case 7 -> "1" + "0".repeat(data.consumeInt(0, 400)); // big numbers
            default -> jsonString(data.consumeString(60));
        };
    }

    /** What may follow a JSON object: nothing valid (trailing tokens, a duplicate key's second half, junk). */
    private static String rawTail(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 2)) {
            case 0 -> "{}";
            case 1 -> "]";
            default -> data.consumeString(20);
        };
    }

    /** A JSON string literal with every character outside printable ASCII escaped, lone surrogates included. */
    static String jsonString(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String encode(String value) {
        return percentEncode(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Every byte outside the unreserved set as %XX: any byte sequence, valid UTF-8 or not. */
    private static String percentEncode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private record Request(String method, String pathAndQuery, byte[] body, boolean authorized, String contentType,
                           String actor) {
        @Override
        public String toString() {
            String target = pathAndQuery.length() > 200 ? pathAndQuery.substring(0, 200) + "..." : pathAndQuery;
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return method + " " + target + (body == null ? "" : " body "
                    + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
        }
    }
}
