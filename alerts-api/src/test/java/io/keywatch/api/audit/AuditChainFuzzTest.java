package io.keywatch.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.KeywatchJson;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Entries with fuzzed attribution, targets and before/after JSON are recorded in a real PostgreSQL (embedded, once
 * for the class), and each one verifies: what is hashed when writing is what verify reads back, whatever jsonb and
 * the driver do to the text (key order, numbers, escapes, NUL, lone surrogates). A mismatch would be a false "the
 * trail was tampered with". {@code mvn verify} replays {@code AuditChainFuzzTestInputs}; README: Fuzzing.
 */
class AuditChainFuzzTest {

    private static final ObjectMapper JSON = KeywatchJson.newMapper();
    private static final List<String> ACTIONS = List.of("alert.acknowledged", "key.revoked", "webhook.secret-rotated",
            "token.created");
    private static final BiPredicate<String, Integer> LOCAL_POSTGRES = (host, port) ->
            port == AuditChainFuzzTest.postgres.port()
                    && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1"));

    private static EmbeddedPostgresServer postgres;
    private static HikariDataSource dataSource;
    private static Jdbi jdbi;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start(null, 0);
        dataSource = DataSources.pooled(postgres.jdbcUrl(), postgres.user(), postgres.password());
        SchemaMigrations.migrate(dataSource);
        jdbi = ApiJdbi.create(dataSource, JSON);
    }

    @AfterAll
    static void stopPostgres() {
        if (dataSource != null) {
            assertThat(new AuditLog(jdbi).verify().ok()).as("the whole chain after the run").isTrue();
            dataSource.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @FuzzTest
    void everyRecordedEntryVerifies(FuzzedDataProvider data) {
        // Jazzer flags every socket: connections to the embedded server are expected (set per run, see
        // AlertIntakeFuzzTest)
        BugDetectors.allowNetworkConnections(LOCAL_POSTGRES);
        AuditActor who = new AuditActor(data.consumeString(80), nullable(data, 16), data.consumeString(16),
                nullable(data, 80), nullable(data, 60), nullable(data, 64));
        String action = data.pickValue(ACTIONS);
        String targetType = data.consumeString(20);
        String targetId = data.consumeString(300);
        Instant at = Instant.ofEpochSecond(data.consumeLong(0, 253_402_300_799L), data.consumeInt(0, 999_999_999));
        JsonNode before = json(data.consumeString(500));
        JsonNode after = json(data.consumeRemainingAsString());
        AuditEntry entry = new AuditEntry(at, who, action, targetType, targetId, before, after);

        long id = jdbi.inTransaction(h -> new AuditTrail(h).record(entry));

        Optional<StoredAuditEntry> stored = findWithPrevious(id);
        assertThat(stored).isPresent();
        assertThat(ChainHash.of(stored.get().prevHash(), stored.get())).isEqualTo(stored.get().hash());
    }

    private static Optional<StoredAuditEntry> findWithPrevious(long id) {
        List<StoredAuditEntry> found = new java.util.ArrayList<>();
        new AuditLog(jdbi).export(new AuditLog.ExportQuery(null, null, id - 1, 1), found::add);
        return found.stream().findFirst();
    }

    private static String nullable(FuzzedDataProvider data, int max) {
        return data.consumeBoolean() ? null : data.consumeString(max);
    }

    /** The text as JSON when it is JSON (any shape), otherwise as a JSON string. */
    private static JsonNode json(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            return node == null || node.isMissingNode() ? TextNode.valueOf(text) : node;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }
}
