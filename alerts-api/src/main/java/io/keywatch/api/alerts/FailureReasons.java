package io.keywatch.api.alerts;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import io.keywatch.events.SafeText;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The reason text of an intake failure, for the dead-letter header and the log: never anything of the record's
 * value. Exception messages cannot be trusted for that: PostgreSQL's integrity errors carry
 * {@code Failing row contains (...)} with the row's values, Jackson echoes the token it choked on, and a bug's
 * exception may print anything. So a reason keeps only what names the problem:
 * <ul>
 *   <li>the {@link AlertValidator}'s message (written not to quote the value);</li>
 *   <li>for an SQL error, its SQLState and, when PostgreSQL names one, the constraint;</li>
 *   <li>for a JSON error, the error's type and where in the document it is (line, column);</li>
 *   <li>otherwise the exception's type and the code location that threw it.</li>
 * </ul>
 */
public final class FailureReasons {

    private static final int MAX_DEPTH = 32;
    private static final int MAX_NAME_CHARS = 100;

    private FailureReasons() {
    }

    static String of(IntakeFailure failure) {
        return of(failure.decisive());
    }

    public static String of(Throwable decisive) {
        if (decisive instanceof InvalidAlertException invalid) {
            return SafeText.escape("invalid alert: " + invalid.getMessage(), AlertDeadLetters.MAX_REASON_CHARS);
        }
        if (decisive instanceof UnverifiedAlertException unverified) {
            return "not signed by keywatch: " + unverified.getMessage();
        }
        if (decisive instanceof SQLException sql) {
            return sqlReason(sql);
        }
        JacksonException json = jsonCause(decisive);
        if (json != null) {
            JsonLocation at = json.getLocation();
            return "not an alert: JSON error " + json.getClass().getSimpleName()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
        }
        StackTraceElement[] trace = decisive.getStackTrace();
        return decisive.getClass().getName() + (trace.length == 0 ? "" : " at " + SafeText.escape(
                trace[0].toString(), 300));
    }

    private static String sqlReason(SQLException sql) {
        String reason = "the database refused it: SQLState " + SafeText.escape(String.valueOf(sql.getSQLState()), 5);
        // a JDBC batch (the set-based intake) reports the statement's own error as the batch error's next exception
        PSQLException psql = serverError(sql);
        if (psql != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            if (server != null && server.getConstraint() != null) {
                reason += ", constraint " + SafeText.escape(server.getConstraint(), MAX_NAME_CHARS);
            }
        }
        return reason;
    }

    private static PSQLException serverError(SQLException sql) {
        SQLException current = sql;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
            if (current instanceof PSQLException psql) {
                return psql;
            }
            current = current.getNextException();
        }
        return null;
    }

    private static JacksonException jsonCause(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH && seen.put(current, true) == null; depth++) {
            if (current instanceof JacksonException json) {
                return json;
            }
            current = current.getCause();
        }
        return null;
    }
}
