package io.keywatch.api.db;

import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.StatementException;

/**
 * A failure in a form fit for a log. A database failure's messages hold values: Jdbi lists the statement's bound
 * arguments, PostgreSQL quotes the value it refused ({@code invalid input syntax for type uuid: "..."}) and the
 * offending key ({@code Key (token_hash)=(...) already exists}). So when the chain holds a {@link SQLException} or a
 * Jdbi exception, every message is replaced by the exception's class, its SQLState and the first words of the
 * statement's SQL text (never its bindings); the stack frames stay. Any other failure is logged as it is.
 */
public final class LoggedFailure extends RuntimeException {

    private static final int SQL_CHARS = 60;

    private LoggedFailure(String message, StackTraceElement[] frames, Throwable cause) {
        super(message, cause, false, true);
        setStackTrace(frames);
    }

    /** {@code failure}, or a copy of its chain without any message when it involves the database. */
    public static Throwable of(Throwable failure) {
        if (failure == null || !involvesDatabase(failure)) {
            return failure;
        }
        return redact(failure, 0);
    }

    /** For a log line: {@link #summary} when the database is involved, else the failure's own toString. */
    public static String describe(Throwable failure) {
        return involvesDatabase(failure) ? summary(failure) : failure.toString();
    }

    /** One line, never a value: {@code StatementException (SQLState 23505; SQL "INSERT INTO api_tokens ...")}. */
    public static String summary(Throwable failure) {
        String sqlState = null;
        String sql = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (sqlState == null && t instanceof SQLException s) {
                sqlState = s.getSQLState();
            }
            if (sql == null && t instanceof StatementException s && s.getStatementContext() != null) {
                sql = s.getStatementContext().getRawSql();
            }
        }
        StringBuilder out = new StringBuilder(failure.getClass().getSimpleName());
        if (sqlState != null || sql != null) {
            out.append(" (");
            if (sqlState != null) {
                out.append("SQLState ").append(sqlState);
            }
            if (sql != null) {
                String flat = sql.strip().replaceAll("\\s+", " ");
                out.append(sqlState != null ? "; " : "").append("SQL \"")
                        .append(flat.length() <= SQL_CHARS ? flat : flat.substring(0, SQL_CHARS) + " ...")
                        .append('"');
            }
            out.append(')');
        }
        return out.toString();
    }

    private static Throwable redact(Throwable failure, int depth) {
        Throwable cause = failure.getCause() == null || depth > 20 ? null : redact(failure.getCause(), depth + 1);
        return new LoggedFailure(depth == 0 ? summary(failure) : failure.getClass().getName()
                + (failure instanceof SQLException s && s.getSQLState() != null ? " (SQLState " + s.getSQLState() + ")"
                : ""), failure.getStackTrace(), cause);
    }

    private static boolean involvesDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof JdbiException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        // the class printed in the stack trace is this one: say what it stands for instead
        return "(redacted) " + getMessage();
    }
}
