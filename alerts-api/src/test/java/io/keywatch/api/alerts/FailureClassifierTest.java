package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.DateTimeException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class FailureClassifierTest {

    private final FailureClassifier classifier = new FailureClassifier();

    /** What Jdbi throws: its own exception around the driver's. */
    private static RuntimeException jdbi(Throwable cause) {
        return new RuntimeException("Unable to execute statement [INSERT ...] arguments: {keyId: secret-ish}", cause);
    }

    @ParameterizedTest
    @ValueSource(strings = {"22P05", "22001", "22007", "22008", "22021", "23505", "23502", "54000",
            "21000"})
    void dataIntegritySyntaxAndLimitErrorsArePermanent(String sqlState) {
        SQLException driver = new SQLException("rejected", sqlState);

        IntakeFailure failure = classifier.classify(jdbi(driver));

        assertThat(failure.kind()).isEqualTo(IntakeFailure.Kind.PERMANENT);
        assertThat(failure.reasonCode().code()).isEqualTo("database-rejected");
        assertThat(failure.decisive()).as("the reason quotes the driver, not Jdbi's statement").isSameAs(driver);
    }

    @ParameterizedTest
    @ValueSource(strings = {"08001", "08006", "08P01", "53300", "53200", "57P01", "57P02", "57P03", "57014", "40001",
            "40P01", "55P03", "58030", "42501", "42P01", "42703", "42883"})
    void connectionResourceShutdownConflictAndMissingGrantOrSchemaErrorsAreTransient(String sqlState) {
        // from class 42 only a permission (42501) or a missing table, column or function is the environment
        IntakeFailure failure = classifier.classify(jdbi(new SQLException("away", sqlState)));

        assertThat(failure.kind()).isEqualTo(IntakeFailure.Kind.TRANSIENT);
        assertThat(failure.reasonCode().code()).isEqualTo("database-unavailable");
        assertThat(failure.known()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"42P18", "42804", "42601", "42P08", "42846"})
    void theRestOfClass42IsTheRecords(String sqlState) {
        // e.g. 42P18 (could not determine data type) or 42804 (datatype mismatch) from an untyped null bound
        IntakeFailure failure = classifier.classify(jdbi(new SQLException("bad parameter", sqlState)));

        assertThat(failure.kind()).isEqualTo(IntakeFailure.Kind.PERMANENT);
        assertThat(failure.reasonCode().code()).isEqualTo("database-rejected");
    }

    @Test
    void thePostgresDriversOwnExceptionsAreClassifiedByState() {
        assertThat(classifier.classify(jdbi(new PSQLException("refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT)))
                .kind()).isEqualTo(IntakeFailure.Kind.TRANSIENT);
        assertThat(classifier.classify(jdbi(new PSQLException("bad", PSQLState.DATA_ERROR))).kind())
                .isEqualTo(IntakeFailure.Kind.PERMANENT);
    }

    @Test
    void hikarisConnectionTimeoutIsTransient() {
        // HikariPool: "Connection is not available, request timed out after 30000ms", state of the last failure
        IntakeFailure failure = classifier.classify(new RuntimeException(
                new SQLTransientConnectionException("keywatch - Connection is not available", (String) null)));

        assertThat(failure.kind()).isEqualTo(IntakeFailure.Kind.TRANSIENT);
        assertThat(failure.reasonCode().code()).isEqualTo("database-unavailable");
        assertThat(classifier.classify(new SQLTransientConnectionException("timeout", "28P01")).kind())
                .isEqualTo(IntakeFailure.Kind.TRANSIENT);
    }

    @Test
    void kafkasRetriableErrorsAndTimeoutsAreTransient() {
        assertThat(classifier.classify(new TimeoutException("not acknowledged")))
                .extracting(IntakeFailure::kind, IntakeFailure::reasonCode)
                .containsExactly(IntakeFailure.Kind.TRANSIENT, IntakeCode.KAFKA_UNAVAILABLE);
        assertThat(classifier.classify(new NotEnoughReplicasException("isr")).kind())
                .isEqualTo(IntakeFailure.Kind.TRANSIENT);
    }

    @Test
    void malformedRecordsAndDomainValidationArePermanent() {
        assertThat(classifier.classify(new SerializationException("cannot read Alert",
                new JsonParseException(null, "Unexpected character")))).extracting(IntakeFailure::reasonCode)
                .isEqualTo(IntakeCode.INVALID_ALERT);
        assertThat(classifier.classify(new JsonParseException(null, "x")).reasonCode().code()).isEqualTo("invalid-alert");
        assertThat(classifier.classify(new InvalidAlertException("keyId holds a NUL")).reasonCode())
                .isEqualTo(IntakeCode.INVALID_ALERT);
        for (RuntimeException fromARecord : new RuntimeException[] {new IllegalArgumentException("bad"),
                new NullPointerException("keyId"), new DateTimeException("overflow"), new ArithmeticException("long"),
                new ArrayIndexOutOfBoundsException(7), new ClassCastException("x")}) {
            assertThat(classifier.classify(fromARecord))
                    .extracting(IntakeFailure::kind, IntakeFailure::reasonCode)
                    .containsExactly(IntakeFailure.Kind.PERMANENT, IntakeCode.INTAKE_ERROR);
        }
    }

    @Test
    void theOutermostRecognisedLinkDecides() {
        // a transient database failure reported through an IllegalStateException is still transient
        assertThat(classifier.classify(new IllegalStateException("wrapped", new SQLException("x", "08006"))).kind())
                .isEqualTo(IntakeFailure.Kind.TRANSIENT);
        // an unknown SQLState does not decide: the driver's cause below it may
        assertThat(classifier.classify(new SQLException("x", "XX000", new SQLException("y", "22P05"))).kind())
                .isEqualTo(IntakeFailure.Kind.PERMANENT);
    }

    @Test
    void unknownFailuresAreTreatedAsTransientButMarkedUnknown() {
        IllegalStateException unknown = new IllegalStateException("pool closed");

        IntakeFailure failure = classifier.classify(unknown);

        assertThat(failure.kind()).isEqualTo(IntakeFailure.Kind.TRANSIENT);
        assertThat(failure.known()).isFalse();
        assertThat(failure.reasonCode().code()).isEqualTo("unknown");
        assertThat(failure.decisive()).isSameAs(unknown);
        assertThat(classifier.classify(new RuntimeException(new IOException("disk"))).known()).isFalse();
        assertThat(classifier.classify(new SQLException("no state")).known()).isFalse();
        assertThat(classifier.classify(new SQLException("internal", "XX000")).known()).isFalse();
    }

    @Test
    void aCyclicCauseChainEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        assertThat(classifier.classify(a).known()).isFalse();
    }
}
