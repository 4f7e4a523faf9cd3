package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts built from fuzzed strings, numbers and instants go the consumer's way into a real PostgreSQL (embedded,
 * started once for the class): {@link AlertValidator}, then {@link AlertStore#intake}. Each is either stored (and
 * reads back equal) or rejected as a permanent failure; a transient or unclassified failure would stall the intake
 * and fails the test. {@code mvn verify} replays the committed inputs in
 * {@code src/test/resources/io/keywatch/api/alerts/AlertIntakeFuzzTestInputs}; README: Fuzzing.
 */
class AlertIntakeFuzzTest {

    private static final AlertRule[] RULES = AlertRule.values();
    private static final Severity[] SEVERITIES = Severity.values();

    private static final Logger LOG = LoggerFactory.getLogger(AlertIntakeFuzzTest.class);
    /** How the inputs fared, logged at the end: a run that never reaches the database proves little. */
    private static final Map<String, AtomicLong> OUTCOMES = new ConcurrentSkipListMap<>();

    private static final BiPredicate<String, Integer> LOCAL_POSTGRES = (host, port) -> port == AlertIntakeFuzzTest.postgres.port()
            && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1"));

    private static EmbeddedPostgresServer postgres;
    private static com.zaxxer.hikari.HikariDataSource dataSource;
    private static AlertStore store;
    private static ObjectMapper json;
    private final AlertValidator validator = new AlertValidator();
    private final FailureClassifier classifier = new FailureClassifier();

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start(null, 0);
        dataSource = DataSources.pooled(postgres.jdbcUrl(), postgres.user(), postgres.password());
        SchemaMigrations.migrate(dataSource);
        json = KeywatchJson.newMapper();
        Jdbi jdbi = ApiJdbi.create(dataSource, json);
        store = new AlertStore(jdbi, json, Clock.systemUTC());
    }

    @AfterAll
    static void stopPostgres() {
        LOG.info("alert intake fuzz outcomes: {}", OUTCOMES);
        if (dataSource != null) {
            dataSource.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @FuzzTest
    void everyAlertIsStoredOrRejectedAsPermanent(FuzzedDataProvider data) {
        // the pool opens connections to the embedded server while fuzzing: not SSRF (Jazzer flags every socket).
        // Set on every run: Jazzer's agent is not in place in @BeforeAll, and it resets the policy when fuzzing starts
        BugDetectors.allowNetworkConnections(LOCAL_POSTGRES);
        Alert alert;
        try {
            alert = build(data);
        } catch (NullPointerException e) {
            count("refused-by-constructor");
            return; // the record's own constructor refuses it: the consumer's parser never yields such an alert
        }
        try {
            validator.validate(alert);
        } catch (InvalidAlertException e) {
            assertThat(classifier.classify(e).isPermanent()).isTrue();
            count("refused-by-validator");
            return;
        }
        List<IntakeOutcome> outcomes;
        try {
            outcomes = store.intake(List.of(alert));
        } catch (RuntimeException e) {
            IntakeFailure failure = classifier.classify(e);
            if (!failure.isPermanent()) {
                fail("a valid-looking alert failed " + failure.kind() + " (" + failure.reasonCode() + "): " + alert, e);
            }
            if (!failure.known()) {
                fail("unclassified failure for " + alert, e);
            }
            count("refused-by-database-" + failure.reasonCode());
            return;
        }
        count("stored-" + outcomes.get(0).kind().name().toLowerCase(java.util.Locale.ROOT));
        if (outcomes.get(0).kind() == IntakeOutcome.Kind.OPENED) {
            StoredAlert stored = store.find(alert.id()).orElseThrow();
            assertThat(stored.keyId()).isEqualTo(alert.keyId());
            assertThat(stored.rule()).isEqualTo(alert.rule());
            assertThat(stored.severity()).isEqualTo(alert.severity());
            assertThat(stored.summary()).isEqualTo(alert.summary());
            assertThat(stored.observed()).isEqualTo(alert.observed());
            assertThat(stored.threshold()).isEqualTo(alert.threshold());
            assertThat(stored.baseline()).isEqualTo(alert.baseline());
            assertThat(stored.windowStart()).isEqualTo(alert.windowStart().truncatedTo(ChronoUnit.MICROS));
            assertThat(stored.windowEnd()).isEqualTo(alert.windowEnd().truncatedTo(ChronoUnit.MICROS));
            if (alert.detectedAt() != null) {
                assertThat(stored.detectedAt()).isEqualTo(alert.detectedAt().truncatedTo(ChronoUnit.MICROS));
            }
            // what the API writes is what the topology sent: the stored text read back is the same map
            assertThat(stored.evidence().toMap(json)).isEqualTo(alert.evidence());
            // and the raw pass-through writes the bytes the parse-and-rewrite wrote (controls, quotes, unicode)
            assertThat(writeJson(stored.evidence())).isEqualTo(writeJson(stored.evidence().toMap(json)));
        }
    }

    private static String writeJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static void count(String outcome) {
        OUTCOMES.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    private static Alert build(FuzzedDataProvider data) {
        String id = data.consumeString(160);
        String keyId = data.consumeString(300);
        AlertRule rule = data.pickValue(RULES);
        Severity severity = data.pickValue(SEVERITIES);
        Instant windowStart = instant(data);
        Instant windowEnd = instant(data);
        Instant triggeredAt = data.consumeBoolean() ? instant(data) : null;
        Instant detectedAt = data.consumeBoolean() ? instant(data) : null;
        double observed = data.consumeDouble();
        double threshold = data.consumeRegularDouble();
        Double baseline = data.consumeBoolean() ? data.consumeDouble() : null;
        String summary = data.consumeBoolean() ? data.consumeString(200) : null;
        Map<String, Object> evidence = new LinkedHashMap<>();
        int entries = data.consumeInt(0, 4);
        for (int i = 0; i < entries; i++) {
            String key = data.consumeString(40);
            evidence.put(key, data.consumeBoolean() ? data.consumeString(60) : (Object) data.consumeInt());
        }
        return new Alert(id, rule, severity, keyId, windowStart, windowEnd, triggeredAt, detectedAt, observed,
                threshold, baseline, summary, evidence);
    }

    /** Mostly near today, sometimes anywhere an {@link Instant} reaches. */
    private static Instant instant(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            return Instant.ofEpochSecond(data.consumeLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                    data.consumeInt(0, 999_999_999));
        }
        return Instant.parse("2026-12-01T00:00:00Z").plusMillis(data.consumeLong(-100_000_000_000L, 100_000_000_000L));
    }
}
