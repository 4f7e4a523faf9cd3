package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** A dead-letter reason names the problem and never carries the record's content. */
class FailureReasonsTest {

    private static final String SECRET = "sk_live_51Habc";

    @Test
    void anIntegrityErrorKeepsItsSqlStateAndConstraintButNotTheFailingRow() {
        // what PostgreSQL sends for a unique violation: the detail quotes the row's values
        PSQLException driver = new PSQLException(new ServerErrorMessage("SERROR\u0000VERROR\u0000C23505\u0000"
                + "Mduplicate key value violates unique constraint \"alerts_pkey\"\u0000"
                + "DFailing row contains (" + SECRET + ", x).\u0000nalerts_pkey\u0000"));
        assertThat(driver.getMessage()).as("the driver's message does quote the row").contains(SECRET);

        String reason = FailureReasons.of(new FailureClassifier().classify(new RuntimeException(driver)));

        assertThat(reason).isEqualTo("the database refused it: SQLState 23505, constraint alerts_pkey");
    }

    @Test
    void aJsonErrorSaysWhereButNotWhatTheTokenWas() {
        JsonSerde<Alert> serde = new JsonSerde<>(KeywatchJson.newMapper(), Alert.class);
        SerializationException failure = null;
        try {
            serde.fromBytes(("{\"id\": " + SECRET + "}").getBytes(StandardCharsets.UTF_8));
        } catch (SerializationException e) {
            failure = e;
        }
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).as("Jackson echoes the token").contains(SECRET);

        String reason = FailureReasons.of(new FailureClassifier().classify(failure));

        assertThat(reason).startsWith("not an alert: JSON error ").contains("at line 1, column").doesNotContain("sk_");
    }

    @Test
    void aValidationFailureNamesFieldProblemLengthAndCodePointOnly() {
        Alert good = io.keywatch.api.support.TestAlerts.alert("a", "key", io.keywatch.events.Severity.LOW,
                java.time.Instant.now());
        Alert bad = new Alert(good.id(), good.rule(), good.severity(), good.keyId(), good.windowStart(),
                good.windowEnd(), good.triggeredAt(), good.detectedAt(), good.observed(), good.threshold(),
                good.baseline(), SECRET + "\u0007", good.evidence());
        InvalidAlertException invalid = null;
        try {
            new AlertValidator().validate(bad);
        } catch (InvalidAlertException e) {
            invalid = e;
        }
        assertThat(invalid).isNotNull();
        assertThat(FailureReasons.of(invalid))
                .isEqualTo("invalid alert: summary holds control character U+0007 at index 14 (length 15)");
    }

    @Test
    void aBugsExceptionIsNamedByTypeAndPlaceNotByItsMessage() {
        String reason = FailureReasons.of(new IllegalArgumentException("cannot handle " + SECRET));

        assertThat(reason).startsWith("java.lang.IllegalArgumentException at ").doesNotContain(SECRET);
    }
}
