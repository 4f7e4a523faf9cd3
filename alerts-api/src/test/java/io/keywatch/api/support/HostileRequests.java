package io.keywatch.api.support;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.AlertsApiService;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The requests issue #10 found answered with 500 (NUL and control characters in parameters and bodies, dates
 * PostgreSQL cannot store, over-long and control-character ids), and their neighbours: each must be a 4xx in the one
 * error shape whose message names the field. Shared by {@code HostileRequestsHttpTest} and the API fuzz test, which
 * replays them as its seed corpus.
 */
public final class HostileRequests {

    /**
     * One request and what it must answer.
     *
     * @param field  a word the error message must contain: the parameter or field name
     * @param status the expected status
     */
    public record Case(String method, String path, String body, String field, int status) {
        @Override
        public String toString() {
            return method + " " + (path.length() > 80 ? path.substring(0, 80) + "..." : path);
        }
    }

    private static final String NUL = "\\u0000";
    private static final String MIN_INSTANT = "-999999999-01-01T00:00:00Z";
    private static final String MAX_INSTANT = "+999999999-12-31T23:59:59Z";
    private static final String MAX_INSTANT_Q = "%2B999999999-12-31T23:59:59Z";

    /** The cases, in a fixed order (the fuzz test's seeds refer to them by index). */
    public static final List<Case> CASES = cases();

    private HostileRequests() {
    }

    /**
     * Creates what the cases aim at (an open alert for each lifecycle case, a revoked and a registered key), so that
     * a request that passed validation would reach the SQL that used to fail.
     */
    public static void prepare(AlertsApiService service, ApiClient api) {
        Instant t0 = Instant.parse("2026-11-27T19:00:00Z");
        service.alertStore().storeAll(List.of(
                alert("hostile-ack", "hostile-key-1", AlertRule.VOLUME_SPIKE, Severity.LOW, t0),
                alert("hostile-resolve", "hostile-key-2", AlertRule.VOLUME_SPIKE, Severity.LOW, t0)));
        assertThat(api.post("/api/v1/keys/hostile-revoked/revoke", "{\"reason\":\"setup\"}").status()).isEqualTo(200);
        assertThat(api.put("/api/v1/keys/hostile-registered", "{\"owner\":\"team\"}").status()).isIn(200, 201);
    }

    /** A cursor with a correct checksum whose parts are hostile: anyone can compute a CRC. */
    public static String forgedCursor(String version, String... parts) {
        String payload = version + '\n' + String.join("\n", parts);
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(StandardCharsets.UTF_8));
        String token = Long.toHexString(crc.getValue() | 0x1_0000_0000L).substring(1) + '\n' + payload;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // query parameters
        cases.add(get("/api/v1/alerts?keyId=a%00b", "keyId"));
        cases.add(get("/api/v1/alerts?rule=a%00b", "rule"));
        cases.add(get("/api/v1/alerts?cursor=a%00b", "cursor"));
        cases.add(get("/api/v1/alerts?cursor=" + forgedCursor("v1", "2026-11-27T19:00:00Z", "a\u0000b"), "cursor"));
        cases.add(get("/api/v1/alerts?cursor=" + forgedCursor("v1", MIN_INSTANT, "a"), "cursor"));
        cases.add(get("/api/v1/keys?owner=a%00b", "owner"));
        cases.add(get("/api/v1/keys?service=a%00b", "service"));
        cases.add(get("/api/v1/keys?q=a%00b", "q"));
        cases.add(get("/api/v1/keys?cursor=" + forgedCursor("k1", "a\u0000b"), "cursor"));
        cases.add(get("/api/v1/revocations?keyId=a%00b", "keyId"));
        cases.add(get("/api/v1/revocations?cursor=" + forgedCursor("r1", "2026-11-27T19:00:00Z", "a\u0000b"),
                "cursor"));
        cases.add(get("/api/v1/audit?keyId=a%00b", "keyId"));
        cases.add(get("/api/v1/audit?cursor=" + forgedCursor("a1", MIN_INSTANT, "1"), "cursor"));
        cases.add(get("/api/v1/webhooks/x/deliveries?cursor=a%00b", "cursor"));
        cases.add(get("/api/v1/webhooks?state=a%00b", "state"));
        cases.add(post("/api/v1/webhooks/x/recover", "{\"since\":\"" + MIN_INSTANT + "\\u0000\"}", "since"));
        cases.add(post("/api/v1/webhooks/x/recover", "{\"since\":\"2026-11-27T19:00:00Z\",\"until\":\""
                + MAX_INSTANT_Q + "\"}", "until"));
        cases.add(post("/api/v1/webhooks/x/rotate-secret", "{\"graceHours\":99999999999999999999}", "graceHours"));
        cases.add(post("/api/v1/webhooks/x/rotate-secret", "{\"graceHours\":1.5}", "graceHours"));
        cases.add(get("/api/v1/alerts?since=" + MIN_INSTANT, "since"));
        cases.add(get("/api/v1/alerts?until=" + MAX_INSTANT_Q, "until"));
        cases.add(get("/api/v1/audit?since=" + MIN_INSTANT, "since"));
        cases.add(get("/api/v1/audit?until=" + MAX_INSTANT_Q, "until"));
        // bodies
        cases.add(post("/api/v1/alerts/hostile-ack/acknowledge", "{\"note\":\"a" + NUL + "b\"}", "note"));
        cases.add(post("/api/v1/alerts/hostile-resolve/resolve",
                "{\"resolution\":\"fixed\",\"note\":\"a" + NUL + "b\"}", "note"));
        cases.add(post("/api/v1/keys/hostile-registered/revoke", "{\"reason\":\"a" + NUL + "b\"}", "reason"));
        cases.add(post("/api/v1/keys/hostile-revoked/reinstate", "{\"reason\":\"a" + NUL + "b\"}", "reason"));
        // tomorrow: within the longest silence, so that the field at fault is the one the case is about
        String tomorrow = Instant.now().plus(java.time.Duration.ofDays(1)).toString();
        cases.add(post("/api/v1/silences", "{\"keyId\":\"k\",\"expiresAt\":\"" + tomorrow + "\",\"comment\":\"a"
                + NUL + "b\"}", "comment"));
        cases.add(post("/api/v1/silences", "{\"keyId\":\"a" + NUL + "b\",\"expiresAt\":\"" + tomorrow + "\","
                + "\"comment\":\"c\"}", "keyId"));
        cases.add(post("/api/v1/silences", "{\"keyId\":\"k\",\"expiresAt\":\"" + MAX_INSTANT + "\",\"comment\":\"c\"}",
                "expiresAt"));
        cases.add(post("/api/v1/webhooks", "{\"url\":\"https://issuer.example.com/hook\",\"owner\":\"a" + NUL
                + "b\"}", "owner"));
        cases.add(post("/api/v1/webhooks", "{\"url\":\"https://issuer.example.com/hook\",\"service\":\"a" + NUL
                + "b\"}", "service"));
        cases.add(post("/api/v1/webhooks", "{\"url\":\"https://issuer.example.com/ho" + NUL + "ok\"}", "url"));
        cases.add(post("/api/v1/webhooks", "{\"url\":\"https://issuer.example.com/hook\",\"description\":\"a" + NUL
                + "b\"}", "description"));
        cases.add(put("/api/v1/keys/hostile-put", "{\"owner\":\"a" + NUL + "b\"}", "owner"));
        cases.add(put("/api/v1/keys/hostile-put", "{\"service\":\"a" + NUL + "b\"}", "service"));
        cases.add(put("/api/v1/keys/hostile-put", "{\"allowedCountries\":[\"D" + NUL + "\"]}", "allowedCountries"));
        cases.add(put("/api/v1/keys/hostile-put", "{\"expiresAt\":\"" + MIN_INSTANT + "\"}", "expiresAt"));
        cases.add(put("/api/v1/keys/hostile-put", "{\"createdAt\":\"" + MIN_INSTANT + "\"}", "createdAt"));
        cases.add(put("/api/v1/keys/hostile-put", "{\"expiresAt\":\"" + MAX_INSTANT + "\"}", "expiresAt"));
        // path ids: Jetty refuses an encoded NUL in a path before routing (in the JSON shape, see JettyJsonErrors);
        // other control characters reach the id check
        cases.add(get("/api/v1/alerts/a%00b", "path"));
        cases.add(get("/api/v1/alerts/a%01b/history", "id"));
        cases.add(get("/api/v1/alerts/a%01b/timeline", "id"));
        cases.add(get("/api/v1/keys/a%00b", "path"));
        cases.add(get("/api/v1/keys/a%7Fb", "keyId"));
        cases.add(put("/api/v1/keys/a%00b", "{\"owner\":\"team\"}", "path"));
        cases.add(put("/api/v1/keys/a%0Ab", "{\"owner\":\"team\"}", "keyId"));
        cases.add(post("/api/v1/keys/a%1Fb/revoke", "{\"reason\":\"r\"}", "keyId"));
        cases.add(post("/api/v1/keys/a%C2%85b/reinstate", "{\"reason\":\"r\"}", "keyId"));
        cases.add(get("/api/v1/revocations/a%00b", "path"));
        cases.add(post("/api/v1/revocations/a%1Bb/approve", "", "id"));
        cases.add(get("/api/v1/webhooks/a%00b", "path"));
        cases.add(delete("/api/v1/webhooks/a%08b", "id"));
        cases.add(delete("/api/v1/silences/a%00b", "path"));
        cases.add(delete("/api/v1/silences/a%E2%80%AEb", "id"));
        cases.add(get("/api/v1/keys/" + "k".repeat(5_000), "keyId"));
        // longer than Jetty's 8 KiB request line: refused before routing, as a 414 in the JSON shape
        cases.add(new Case("GET", "/api/v1/keys/" + "k".repeat(10_000), null, "URI", 414));
        // bodies that are not one JSON object of bounded size (appended: the fuzz seeds refer to cases by index)
        cases.add(new Case("POST", "/api/v1/silences", "{\"comment\":\"" + "x".repeat(100_000) + "\"}", "bytes",
                413));
        cases.add(post("/api/v1/keys/hostile-registered/revoke", "{\"reason\":\"a\",\"reason\":\"b\"}",
                "Duplicate field"));
        cases.add(post("/api/v1/keys/hostile-registered/revoke", "{\"reason\":\"a\"} {}", "Trailing token"));
        cases.add(post("/api/v1/alerts/hostile-ack/acknowledge", "{\"note\":" + "[".repeat(100) + "]".repeat(100)
                + "}", "nesting depth"));
        cases.add(post("/api/v1/keys/hostile-registered/revoke", "reason=leaked", "not valid JSON"));
        cases.add(post("/api/v1/keys/hostile-registered/revoke", "", "JSON object"));
        cases.add(post("/api/v1/silences", "[]", "JSON object"));
        cases.add(put("/api/v1/keys/hostile-put", "{\"owner\":\"\\ud800\"}", "unpaired surrogate"));
        cases.add(put("/api/v1/keys/hostile-put", "{\"scopes\":[\"a\\u0000\"]}", "scopes"));
        cases.add(put("/api/v1/keys/hostile-put", "{\"thresholds\":{\"a\\u0000\":1}}", "field name"));
        cases.add(put("/api/v1/keys/hostile-put", "{\"rateLimitPerMinute\":1" + "0".repeat(100) + "}",
                "not valid JSON"));
        cases.add(post("/api/v1/webhooks",
                "{\"url\":\"http://127.0.0.1:9/h\",\"eventTypes\":[\"key.revoked\\u0000\"]}", "eventTypes"));
        return List.copyOf(cases);
    }

    private static Case get(String path, String field) {
        return new Case("GET", path, null, field, 400);
    }

    private static Case delete(String path, String field) {
        return new Case("DELETE", path, null, field, 400);
    }

    private static Case post(String path, String body, String field) {
        return new Case("POST", path, body, field, 400);
    }

    private static Case put(String path, String body, String field) {
        return new Case("PUT", path, body, field, 400);
    }
}
