package io.keywatch.api.alerts;

import com.fasterxml.jackson.core.JacksonException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.DateTimeException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Tells a failure that will pass (the database or the broker is away, overloaded or resolving a conflict: retry
 * the same records with back-off, as long as it takes) from one that the same record will always cause (the record
 * is poison: quarantine it and go on).
 *
 * <p>The cause chain is walked from the outside in (Jdbi and Hikari wrap the driver's exception); the first link
 * that a rule recognises decides:
 * <ul>
 *   <li>SQLState (PostgreSQL's codes): classes 08 (connection), 53 (insufficient resources), 57P0x (server
 *       shutting down or starting), 57014 (statement timeout), 58 (system I/O), 40001/40P01 (serialization
 *       failure, deadlock), 55P03 (lock not available) and the class-42 codes that name the environment (42501
 *       insufficient privilege, 42P01 undefined table, 42703 undefined column, 42883 undefined function: a grant
 *       or a migration is missing) are transient; classes 21, 22 (data exception: {@code 22P05} is the NUL in a
 *       text), 23 (integrity constraint), 54 (program limit: an index row too large) and the rest of class 42
 *       (some come from a bound value, e.g. 42P18 or 42804 for an untyped null) are permanent. Without a known state, {@link SQLTransientException} and
 *       {@link SQLRecoverableException} (Hikari's connection timeout) are transient.</li>
 *   <li>Kafka: a {@link RetriableException} (timeouts included) is transient; a {@link SerializationException}
 *       permanent.</li>
 *   <li>An {@link InvalidAlertException} (the pre-validation), JSON errors and the exceptions a record's own
 *       content raises in code ({@link IllegalArgumentException}, {@link NullPointerException},
 *       {@link DateTimeException}, {@link ArithmeticException}, {@link ClassCastException},
 *       {@link IndexOutOfBoundsException}) are permanent.</li>
 * </ul>
 *
 * <p>A permanent verdict is about one record; when no record of a batch could be stored alone, the consumer asks
 * an {@link IntakeProbe} whether a known-good alert fails too, and then blames the environment instead and retries
 * the batch (see {@link AlertConsumer}).
 *
 * <p>Anything else is <b>unknown, and treated as transient</b> (the caller logs it loudly and reports it in
 * /health). Why not quarantine it: a failure no rule knows is more often the environment (a new driver error, a
 * resource running out, a bug fixed by the next deploy) than the record, and quarantining takes alerts (and the
 * automatic revocations they would trigger) out of the automatic path; a stalled intake is visible and resumes by
 * itself once the cause is fixed, while alerts shovelled into the dead-letter topic need a person to replay them.
 * The poison we know of is caught before the database by {@link AlertValidator}, and by the SQLState rules after.
 */
public final class FailureClassifier {

    /** Enough for any real wrapping; a cyclic or absurd chain stops here. */
    private static final int MAX_DEPTH = 32;
    /** Class-42 codes that a record cannot cause: a missing grant, table, column or function. */
    private static final Set<String> ENVIRONMENT_42 = Set.of("42501", "42P01", "42703", "42883");

    public IntakeFailure classify(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH && seen.put(current, true) == null; depth++) {
            IntakeFailure verdict = verdictOf(current);
            if (verdict != null) {
                return verdict;
            }
            current = current.getCause();
        }
        return new IntakeFailure(IntakeFailure.Kind.TRANSIENT, IntakeCode.UNKNOWN, false, failure);
    }

    private static IntakeFailure verdictOf(Throwable t) {
        if (t instanceof InvalidAlertException) {
            return IntakeFailure.permanent(IntakeCode.INVALID_ALERT, t);
        }
        if (t instanceof UnverifiedAlertException unverified) {
            return IntakeFailure.permanent(unverified.code(), t);
        }
        if (t instanceof SQLException sql) {
            return verdictOf(sql);
        }
        if (t instanceof RetriableException) {
            return IntakeFailure.transientFailure(IntakeCode.KAFKA_UNAVAILABLE, t);
        }
        if (t instanceof SerializationException || t instanceof JacksonException) {
            return IntakeFailure.permanent(IntakeCode.INVALID_ALERT, t);
        }
        if (t instanceof IllegalArgumentException || t instanceof NullPointerException
                || t instanceof DateTimeException || t instanceof ArithmeticException
                || t instanceof ClassCastException || t instanceof IndexOutOfBoundsException) {
            return IntakeFailure.permanent(IntakeCode.INTAKE_ERROR, t);
        }
        return null;
    }

    /** Null when neither the state nor the type says: the chain goes on (the driver may wrap a cause). */
    private static IntakeFailure verdictOf(SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && state.length() == 5) {
            String sqlClass = state.substring(0, 2);
            switch (sqlClass) {
                case "08", "53", "58" -> {
                    return IntakeFailure.transientFailure(IntakeCode.DATABASE_UNAVAILABLE, sql);
                }
                case "21", "22", "23", "54" -> {
                    return IntakeFailure.permanent(IntakeCode.DATABASE_REJECTED, sql);
                }
                case "42" -> {
                    return ENVIRONMENT_42.contains(state)
                            ? IntakeFailure.transientFailure(IntakeCode.DATABASE_UNAVAILABLE, sql)
                            : IntakeFailure.permanent(IntakeCode.DATABASE_REJECTED, sql);
                }
                default -> {
                    // classes 40, 55, 57 are mixed: only some of their codes pass by themselves
                }
            }
            if (state.startsWith("57P0") || state.equals("57014") || state.equals("40001") || state.equals("40P01")
                    || state.equals("55P03")) {
                return IntakeFailure.transientFailure(IntakeCode.DATABASE_UNAVAILABLE, sql);
            }
        }
        if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException
                || sql instanceof SQLNonTransientConnectionException) {
            return IntakeFailure.transientFailure(IntakeCode.DATABASE_UNAVAILABLE, sql);
        }
        return null;
    }
}
