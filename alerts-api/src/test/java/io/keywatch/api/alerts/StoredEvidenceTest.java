package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.ApiServer;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The evidence is passed through as PostgreSQL's jsonb text, and the API's answers keep the bytes the former
 * parse-into-a-map-and-rewrite wrote.
 */
@ExtendWith(SharedInfra.class)
class StoredEvidenceTest {

    private static final Instant T0 = Instant.parse("2026-12-06T22:00:00Z");

    private static HikariDataSource dataSource;
    private static AlertStore store;
    private static ObjectMapper json;
    private static ObjectMapper responses;

    @BeforeAll
    static void startDatabase(EmbeddedPostgresServer postgres) {
        dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres), postgres.user(), postgres.password());
        SchemaMigrations.migrate(dataSource);
        json = KeywatchJson.newMapper();
        responses = ApiServer.responseMapper(json);
        Jdbi jdbi = ApiJdbi.create(dataSource, json);
        store = new AlertStore(jdbi, json);
    }

    @AfterAll
    static void closeDatabase() {
        dataSource.close();
    }

    @Test
    void anAnswerCarriesTheSameBytesAsParsingAndRewritingTheEvidence() throws JsonProcessingException {
        Map<String, Object> evidence = new LinkedHashMap<>();
        // what detectors write: counts, rates, nested tables, lists, instants as text, booleans
        evidence.put("requests", 1200);
        evidence.put("ratio", 3.5);
        evidence.put("pValue", 0.03125);
        evidence.put("topClientIps", Map.of("203.0.113.7", 912, "2001:db8::1", 3));
        evidence.put("allowedCidrs", List.of("10.0.0.0/8", "2001:db8::/32"));
        evidence.put("registered", false);
        evidence.put("lastSeen", "2026-12-06T21:59:59.123456Z");
        evidence.put("negative", -42);
        evidence.put("big", 9_007_199_254_740_993L);
        // and what an attacker sends: separators, quotes, escapes, controls, non-ASCII inside strings
        evidence.put("path", "/v1/a, b: c \"quoted\" \\ back\\slash\t\n\r\b\f\u0001\u001f\u007f é 日本 😀 \u2028");
        evidence.put("key with spaces : and , commas", List.of(" lead", "trail ", "", "{}", "[1, 2]"));
        evidence.put("nested", Map.of("deep", List.of(1, List.of(2, Map.of("x y", " z ")))));
        Alert alert = new Alert("ev-1", AlertRule.VOLUME_SPIKE, Severity.HIGH, "key-ev", T0.minusSeconds(60), T0,
                T0, T0, 10, 5, null, "evidence", evidence);
        store.store(alert);

        StoredAlert stored = store.find("ev-1").orElseThrow();

        assertThat(stored.evidence().json()).contains("\"requests\":1200,", "[1,[2,", "\\u001F", "\"[1, 2]\"")
                .doesNotContain("\\u001f");
        assertThat(stored.evidence().toMap(json)).isEqualTo(json.readValue(json.writeValueAsString(evidence), Map.class));
        String rewritten = "\"evidence\":" + responses.writeValueAsString(stored.evidence().toMap(json)) + ",";
        assertThat(responses.writeValueAsString(stored)).contains(rewritten);
        assertThat(responses.writeValueAsString(new AlertPage(List.of(stored), null))).contains(rewritten);
        // the detail answer embeds it in a tree (withHistory): the raw value survives that too
        assertThat(responses.writeValueAsString(responses.valueToTree(stored)))
                .isEqualTo(responses.writeValueAsString(stored));
    }

    @Test
    void compactsPostgresqlsPrintingOutsideStringsOnly() {
        assertThat(StoredEvidence.compact("{\"a\": 1, \"b\": [2, 3], \"c, d\": \"e: f\\\" g\\\\\", \"h\": {}}"))
                .isEqualTo("{\"a\":1,\"b\":[2,3],\"c, d\":\"e: f\\\" g\\\\\",\"h\":{}}");
        assertThat(StoredEvidence.compact("{\"\\u001f\": \"\\u00e9 \\u001b\"}"))
                .isEqualTo("{\"\\u001F\":\"\\u00E9 \\u001B\"}");
        assertThat(StoredEvidence.fromJsonb(null).json()).isEqualTo("{}");
    }

    @Test
    void neverPrintsTheEvidenceIntoALogLine() {
        assertThat(StoredEvidence.fromJsonb("{\"secret\": \"sk_live_x\"}").toString()).doesNotContain("sk_live");
    }
}
