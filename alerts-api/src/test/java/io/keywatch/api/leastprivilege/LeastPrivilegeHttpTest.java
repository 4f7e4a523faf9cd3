package io.keywatch.api.leastprivilege;

import static io.keywatch.api.support.ApiAssertions.assertError;
import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestIdentities;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The least-privilege report end to end on embedded Kafka and PostgreSQL: signed {@link KeyScopeUsage} records on the
 * key-scopes topic (as the topology publishes them), the intake into PostgreSQL, and both report routes.
 */
@ExtendWith(SharedInfra.class)
class LeastPrivilegeHttpTest {

    private static final JsonSerde<KeyScopeUsage> SERDE = new JsonSerde<>(KeywatchJson.newMapper(),
            KeyScopeUsage.class);
    private static final String REPORT = "/api/v1/reports/least-privilege";
    private static RunningApi running;
    private static ApiClient api;
    private static String topic;
    /** Records published so far: the intake has handled them all once stored + refused reaches this. */
    private static long published;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        running = RunningApi.start(postgres, broker, settings -> settings, List.of(new TestIdentities()));
        api = running.api();
        topic = running.settings().topics().keyScopes();
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static void register(String keyId, String body) {
        assertThat(api.put("/api/v1/keys/" + keyId, body).status()).isIn(200, 201);
    }

    private static void register(String keyId, String owner, String... scopes) {
        register(keyId, "{\"owner\":\"" + owner + "\",\"service\":\"billing\",\"scopes\":["
                + String.join(",", List.of(scopes).stream().map(s -> "\"" + s + "\"").toList()) + "]}");
    }

    private static void publish(KeyScopeUsage usage) {
        running.kafka().publishRaw(topic, usage.keyId(), SERDE.toBytes(usage));
        published++;
    }

    private static void publishUnsigned(String key, byte[] value, RecordHeaders headers) {
        running.kafka().publishUnsigned(topic, key, value, headers);
        published++;
    }

    /** Waits until the intake has stored or refused every record published so far. */
    private static void awaitIntake() {
        KeyScopeIntakeStatus status = running.service().keyScopeStatus();
        await().atMost(Duration.ofSeconds(30)).until(() -> status.storedRecords() + status.refusedRecords()
                >= published);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("keyId").asText()));
        return ids;
    }

    private static JsonNode item(JsonNode page, String keyId) {
        for (JsonNode item : page.path("items")) {
            if (item.path("keyId").asText().equals(keyId)) {
                return item;
            }
        }
        throw new AssertionError(keyId + " not in " + page);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    @Test
    void listsAKeyWithScopesItDidNotUseAndTheNarrowerSetToGrant_andDaysMovesTheAnswer() {
        LocalDate today = today();
        register("lp-over-1", "team-over", "invoices:read", "invoices:write", "refunds:write");
        publish(new KeyScopeUsage("lp-over-1", today.minusDays(90), Map.of("invoices:read", today.minusDays(1),
                "invoices:write", today.minusDays(45), "reports:read", today), false));
        awaitIntake();

        JsonNode item = item(assertOk(api.get(REPORT + "?owner=team-over"), 200).json(), "lp-over-1");
        assertThat(item.path("owner").asText()).isEqualTo("team-over");
        assertThat(item.path("service").asText()).isEqualTo("billing");
        assertThat(texts(item.path("registeredScopes"))).containsExactly("invoices:read", "invoices:write",
                "refunds:write");
        assertThat(texts(item.path("unusedScopes"))).containsExactly("invoices:write", "refunds:write");
        assertThat(texts(item.path("suggestedScopes"))).containsExactly("invoices:read");
        assertThat(item.path("usedScopes")).hasSize(3);
        assertThat(item.path("usedScopes").get(0).path("scope").asText()).isEqualTo("invoices:read");
        assertThat(item.path("usedScopes").get(0).path("lastUsed").asText()).isEqualTo(today.minusDays(1).toString());
        assertThat(item.path("observedSince").asText()).isEqualTo(today.minusDays(90).toString());
        assertThat(item.path("days").asInt()).isEqualTo(30);
        assertThat(item.path("verdict").asText()).isEqualTo("OVERPRIVILEGED");

        // over 60 days invoices:write (45 days ago) counts as used
        JsonNode wider = item(assertOk(api.get(REPORT + "?owner=team-over&days=60"), 200).json(), "lp-over-1");
        assertThat(texts(wider.path("unusedScopes"))).containsExactly("refunds:write");
        assertThat(texts(wider.path("suggestedScopes"))).containsExactly("invoices:read", "invoices:write");
        // today only: yesterday's use is outside the window
        JsonNode narrow = item(assertOk(api.get(REPORT + "?owner=team-over&days=1"), 200).json(), "lp-over-1");
        assertThat(texts(narrow.path("suggestedScopes"))).isEmpty();

        // and a key that used every registered scope in the window is not listed
        register("lp-tight-1", "team-over", "invoices:read");
        publish(new KeyScopeUsage("lp-tight-1", today.minusDays(90), Map.of("invoices:read", today), false));
        awaitIntake();
        assertThat(ids(assertOk(api.get(REPORT + "?owner=team-over"), 200).json())).containsExactly("lp-over-1");
        assertThat(assertOk(api.get(REPORT + "/lp-tight-1"), 200).json().path("verdict").asText())
                .isEqualTo("LEAST_PRIVILEGE");
    }

    @Test
    void aKeyWatchedForLessThanTheWindowIsNotListed() {
        LocalDate today = today();
        register("lp-young-1", "team-young", "a:read", "a:write");
        publish(new KeyScopeUsage("lp-young-1", today.minusDays(10), Map.of("a:read", today), false));
        awaitIntake();

        assertThat(ids(assertOk(api.get(REPORT + "?owner=team-young"), 200).json())).isEmpty();
        JsonNode one = assertOk(api.get(REPORT + "/lp-young-1"), 200).json();
        assertThat(one.path("verdict").asText()).isEqualTo("NOT_ENOUGH_HISTORY");
        assertThat(texts(one.path("suggestedScopes"))).containsExactly("a:read", "a:write");
        // first seen 10 days ago: a window of 10 days or fewer began after that, so was watched whole (the edge day
        // KEY_OVERPRIVILEGED uses, KeyScopeWindow)
        assertThat(ids(assertOk(api.get(REPORT + "?owner=team-young&days=11"), 200).json())).isEmpty();
        assertThat(ids(assertOk(api.get(REPORT + "?owner=team-young&days=10"), 200).json()))
                .containsExactly("lp-young-1");
    }

    @Test
    void canaryRevokedAndScopelessKeysAreNotListed_butEachHasAVerdict() {
        LocalDate today = today();
        register("lp-canary-1", "{\"owner\":\"team-odd\",\"scopes\":[\"x:read\"],\"canary\":true,"
                + "\"plantedAt\":\"repo/.env\"}");
        register("lp-revoked-1", "team-odd", "x:read");
        register("lp-noscopes-1", "{\"owner\":\"team-odd\"}");
        register("lp-never-1", "team-odd", "x:read");
        assertOk(api.post("/api/v1/keys/lp-revoked-1/revoke", "{\"reason\":\"leaked\"}"), 200);
        for (String key : List.of("lp-canary-1", "lp-revoked-1", "lp-noscopes-1")) {
            publish(new KeyScopeUsage(key, today.minusDays(90), Map.of("y:read", today), false));
        }
        awaitIntake();

        assertThat(ids(assertOk(api.get(REPORT + "?owner=team-odd"), 200).json())).isEmpty();
        assertThat(assertOk(api.get(REPORT + "/lp-canary-1"), 200).json().path("verdict").asText())
                .isEqualTo("OVERPRIVILEGED");
        assertThat(assertOk(api.get(REPORT + "/lp-noscopes-1"), 200).json().path("verdict").asText())
                .isEqualTo("NO_SCOPES_REGISTERED");
        JsonNode never = assertOk(api.get(REPORT + "/lp-never-1"), 200).json();
        assertThat(never.path("verdict").asText()).isEqualTo("NEVER_SEEN");
        assertThat(never.path("observedSince").isNull()).isTrue();
    }

    @Test
    void unsignedForgedAndInvalidRecordsChangeNothingAndHoldUpNothing() {
        LocalDate today = today();
        String key = "lp-forged-1";
        register(key, "team-forged", "p:read", "p:write");
        publish(new KeyScopeUsage(key, today.minusDays(90), Map.of("p:read", today), false));
        awaitIntake();
        long refusedBefore = running.service().keyScopeStatus().refusedRecords();

        // an attacker with write access to the topic claims p:write is in use, to keep the grant
        byte[] claim = SERDE.toBytes(new KeyScopeUsage(key, today.minusDays(90), Map.of("p:write", today), false));
        publishUnsigned(key, claim, new RecordHeaders());
        RecordSignatures otherKeys = new RecordSignatures(RecordSigningKeys.random("attacker"));
        publishUnsigned(key, claim, (RecordHeaders) otherKeys.sign(topic, bytes(key), claim, new RecordHeaders()));
        // a genuine signature, but over the same bytes on another topic
        RecordSignatures ours = new RecordSignatures(TestServices.SIGNING_KEYS);
        publishUnsigned(key, claim, (RecordHeaders) ours.sign(running.settings().topics().alerts(), bytes(key), claim,
                new RecordHeaders()));
        // signed, but not sane: another key's record, not JSON, a NUL in a scope, days in the future (next year, and
        // year 999999999)
        publishSigned("lp-other", claim);
        publishSigned(key, "{not json".getBytes(StandardCharsets.UTF_8));
        publishSigned(key, SERDE.toBytes(new KeyScopeUsage(key, today.minusDays(90), Map.of("p:w\u0000rite", today),
                false)));
        publishSigned(key, SERDE.toBytes(new KeyScopeUsage(key, today.minusDays(90), Map.of("p:write",
                today.plusDays(400)), false)));
        publishSigned(key, SERDE.toBytes(new KeyScopeUsage(key, today.minusDays(90), Map.of("p:write",
                LocalDate.of(999_999_999, 12, 31)), false)));
        publishSigned(key, SERDE.toBytes(new KeyScopeUsage(key, LocalDate.of(1970, 1, 1), Map.of(), false)));
        // and after them all, a good record of another key is still taken in
        register("lp-after-forged", "team-forged-2", "q:read", "q:write");
        publish(new KeyScopeUsage("lp-after-forged", today.minusDays(90), Map.of("q:read", today), false));
        awaitIntake();

        KeyScopeIntakeStatus status = running.service().keyScopeStatus();
        assertThat(status.refusedRecords() - refusedBefore).isEqualTo(9);
        assertThat(status.refusedByReason()).containsKeys("unsigned", "key-mismatch", "not-key-scope-usage",
                "bad-scope", "bad-date");
        JsonNode item = assertOk(api.get(REPORT + "/" + key), 200).json();
        assertThat(texts(item.path("unusedScopes"))).containsExactly("p:write");
        assertThat(item.path("observedSince").asText()).isEqualTo(today.minusDays(90).toString());
        assertThat(texts(assertOk(api.get(REPORT + "/lp-after-forged"), 200).json().path("unusedScopes")))
                .containsExactly("q:write");
        // /health says so, without any value
        JsonNode health = assertOk(api.get("/health"), 200).json();
        JsonNode component = health.at("/components/keyScopeIntake");
        assertThat(component.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(component.at("/figures/refusedRecords").asLong()).isGreaterThanOrEqualTo(9);
        assertThat(health.toString()).doesNotContain("p:w");
    }

    @Test
    void aNewerRecordReplacesWhatTheKeyHeld_soItsStoredScopesStayBounded() {
        LocalDate today = today();
        String key = "lp-replace-1";
        register(key, "team-replace", "r:read");
        Map<String, LocalDate> many = new java.util.HashMap<>(Map.of("r:read", today.minusDays(1)));
        for (int i = 0; i < KeyScopeUsage.MAX_UNREGISTERED_SCOPES; i++) {
            many.put("junk-" + i, today.minusDays(1));
        }
        publish(new KeyScopeUsage(key, today.minusDays(90), many, true));
        Map<String, LocalDate> next = new java.util.HashMap<>(many);
        next.remove("junk-0");
        next.put("junk-new", today);
        publish(new KeyScopeUsage(key, today.minusDays(90), next, true));
        awaitIntake();

        JsonNode item = assertOk(api.get(REPORT + "/" + key), 200).json();
        List<String> used = new ArrayList<>();
        item.path("usedScopes").forEach(u -> used.add(u.path("scope").asText()));
        assertThat(used).hasSize(next.size()).contains("junk-new", "r:read").doesNotContain("junk-0");
        assertThat(texts(item.path("usedUnregistered"))).hasSize(KeyScopeUsage.MAX_UNREGISTERED_SCOPES)
                .doesNotContain("r:read");
        assertThat(texts(item.path("suggestedScopes"))).containsExactly("r:read");
    }

    @Test
    void aTruncatedRecordThatKeptOnlyRecentScopesDoesNotProveAMissingOneUnused() {
        LocalDate today = today();
        register("lp-trunc-1", "team-trunc", "t:read", "t:write");
        register("lp-trunc-2", "team-trunc", "t:read", "t:write");
        publish(new KeyScopeUsage("lp-trunc-1", today.minusDays(90), Map.of("t:read", today,
                "made-up", today.minusDays(2)), true));
        publish(new KeyScopeUsage("lp-trunc-2", today.minusDays(90), Map.of("t:read", today,
                "made-up", today.minusDays(31)), true));
        awaitIntake();

        assertThat(ids(assertOk(api.get(REPORT + "?owner=team-trunc"), 200).json())).containsExactly("lp-trunc-2");
        JsonNode maybe = assertOk(api.get(REPORT + "/lp-trunc-1"), 200).json();
        assertThat(maybe.path("verdict").asText()).isEqualTo("LEAST_PRIVILEGE");
        assertThat(texts(maybe.path("suggestedScopes"))).containsExactly("t:read", "t:write");
        assertThat(texts(maybe.path("usedUnregistered"))).containsExactly("made-up");
    }

    @Test
    void anExpiredKeyIsNotListed() {
        LocalDate today = today();
        register("lp-expired-1", "{\"owner\":\"team-expired\",\"scopes\":[\"e:read\",\"e:write\"],"
                + "\"expiresAt\":\"" + java.time.Instant.now().minusSeconds(3600) + "\"}");
        register("lp-expiring-1", "{\"owner\":\"team-expired\",\"scopes\":[\"e:read\",\"e:write\"],"
                + "\"expiresAt\":\"" + java.time.Instant.now().plusSeconds(86_400) + "\"}");
        for (String key : List.of("lp-expired-1", "lp-expiring-1")) {
            publish(new KeyScopeUsage(key, today.minusDays(90), Map.of("e:read", today), false));
        }
        awaitIntake();

        assertThat(ids(assertOk(api.get(REPORT + "?owner=team-expired"), 200).json()))
                .containsExactly("lp-expiring-1");
    }

    @Test
    void anOlderCopyNeverMovesALastUsedDayBack() {
        LocalDate today = today();
        String key = "lp-order-1";
        register(key, "team-order", "o:read", "o:write");
        publish(new KeyScopeUsage(key, today.minusDays(60), Map.of("o:read", today.minusDays(2),
                "o:write", today.minusDays(3)), false));
        publish(new KeyScopeUsage(key, today.minusDays(50), Map.of("o:read", today.minusDays(40)), false));
        awaitIntake();

        JsonNode item = assertOk(api.get(REPORT + "/" + key), 200).json();
        assertThat(item.path("verdict").asText()).isEqualTo("LEAST_PRIVILEGE");
        assertThat(item.path("usedScopes").get(0).path("lastUsed").asText()).isEqualTo(today.minusDays(2).toString());
        assertThat(item.path("observedSince").asText()).isEqualTo(today.minusDays(60).toString());
        // and a replay changes nothing either
        publish(new KeyScopeUsage(key, today.minusDays(60), Map.of("o:read", today.minusDays(2),
                "o:write", today.minusDays(3)), false));
        awaitIntake();
        assertThat(assertOk(api.get(REPORT + "/" + key), 200).json()).isEqualTo(item);
    }

    @Test
    void whileTheDatabaseRefusesWritesRecordsWaitAndAreStoredAfterwards(EmbeddedPostgresServer postgres)
            throws SQLException {
        LocalDate today = today();
        String key = "lp-db-away-1";
        register(key, "team-db", "d:read", "d:write");
        String role = running.settings().dbAppRole();
        try (Connection owner = DriverManager.getConnection(running.settings().dbUrl(), postgres.user(),
                postgres.password()); Statement sql = owner.createStatement()) {
            sql.execute("REVOKE INSERT, UPDATE ON key_scope_usage FROM " + role);
            try {
                publish(new KeyScopeUsage(key, today.minusDays(90), Map.of("d:read", today), false));
                KeyScopeIntakeStatus status = running.service().keyScopeStatus();
                await().atMost(Duration.ofSeconds(30)).until(() -> status.failingSince().isPresent());
                // a failure of the database, not of the record: nothing refused, nothing half stored
                assertThat(status.refusedByReason()).doesNotContainKey("store-failed");
                assertThat(assertOk(api.get(REPORT + "/" + key), 200).json().path("verdict").asText())
                        .isEqualTo("NEVER_SEEN");
            } finally {
                sql.execute("GRANT INSERT, UPDATE ON key_scope_usage TO " + role);
            }
        }
        awaitIntake();
        await().atMost(Duration.ofSeconds(30)).until(() -> running.service().keyScopeStatus().failingSince()
                .isEmpty());
        JsonNode item = assertOk(api.get(REPORT + "/" + key), 200).json();
        assertThat(item.path("verdict").asText()).isEqualTo("OVERPRIVILEGED");
        assertThat(texts(item.path("unusedScopes"))).containsExactly("d:write");
    }

    @Test
    void pagesByKeyIdWithACursor() {
        LocalDate today = today();
        List<String> keys = List.of("lp-page-a", "lp-page-b", "lp-page-c", "lp-page-d", "lp-page-e");
        for (String key : keys) {
            register(key, "team-page", "s:read", "s:write");
            publish(new KeyScopeUsage(key, today.minusDays(90), Map.of("s:read", today), false));
        }
        awaitIntake();

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = assertOk(api.get(REPORT + "?owner=team-page&service=billing&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)), 200).json();
            seen.addAll(ids(page));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsExactlyElementsOf(keys);
        assertThat(pages).isEqualTo(3);
        assertThat(ids(assertOk(api.get(REPORT + "?owner=team-page&service=other"), 200).json())).isEmpty();
    }

    @Test
    void everyBadParameterIsA400NamingIt_unknownKeysA404() {
        assertThat(assertError(api.get(REPORT + "?days=0"), 400)).contains("days");
        assertThat(assertError(api.get(REPORT + "?days=366"), 400)).contains("days");
        assertThat(assertError(api.get(REPORT + "?days=thirty"), 400)).contains("days");
        assertThat(assertError(api.get(REPORT + "?days=99999999999999999999"), 400)).contains("days");
        assertThat(assertError(api.get(REPORT + "?limit=0"), 400)).contains("limit");
        assertThat(assertError(api.get(REPORT + "?limit=501"), 400)).contains("limit");
        assertThat(assertError(api.get(REPORT + "?cursor=garbage"), 400)).contains("cursor");
        assertThat(assertError(api.get(REPORT + "?owner=a%0Ab"), 400)).contains("owner");
        assertThat(assertError(api.get(REPORT + "?service=" + "s".repeat(300)), 400)).contains("service");
        // a cursor of the key list is not one of this report
        String keysCursor = io.keywatch.api.keys.KeyPage.CURSOR.encode("lp-page-a");
        assertThat(assertError(api.get(REPORT + "?cursor=" + keysCursor), 400)).contains("cursor");
        assertThat(assertError(api.get(REPORT + "/lp-whatever?days=-1"), 400)).contains("days");
        assertThat(assertError(api.get(REPORT + "/bad%09key"), 400)).contains("keyId");

        String unknown = assertError(api.get(REPORT + "/sk_live_no-such-key-at-all"), 404);
        assertThat(unknown).doesNotContain("sk_live_no-such-key-at-all");
        // revoked only, never registered: nothing to compare with
        assertOk(api.post("/api/v1/keys/lp-revoked-only/revoke", "{\"reason\":\"leaked\"}"), 200);
        assertError(api.get(REPORT + "/lp-revoked-only"), 404);
    }

    @Test
    void viewersMayReadTheReport_nobodyWithoutACredential() {
        ApiClient viewer = api.withToken(TestIdentities.token("vic"));
        assertOk(viewer.get(REPORT), 200);
        register("lp-role-1", "team-role", "r:read");
        assertOk(viewer.get(REPORT + "/lp-role-1"), 200);
        assertError(api.withToken("not-a-token").get(REPORT), 401);
        assertError(api.withToken("not-a-token").get(REPORT + "/lp-role-1"), 401);
    }

    private static void publishSigned(String key, byte[] value) {
        running.kafka().publishRaw(topic, key, value);
        published++;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
