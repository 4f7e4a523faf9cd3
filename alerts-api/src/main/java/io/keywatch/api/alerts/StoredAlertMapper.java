package io.keywatch.api.alerts;

import static io.keywatch.api.db.Columns.instant;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps a row of {@code AlertStore}'s alert columns to a {@link StoredAlert}. Written out by hand because the alert
 * lists are the API's hot path: Jdbi's reflective {@code ConstructorMapper} re-resolved all 28 constructor parameters
 * (names, annotations, column mappers) on every query and went through a generic column mapper per value, which cost
 * more CPU than PostgreSQL spent running the query. The evidence stays JSON text ({@link StoredEvidence}).
 */
public final class StoredAlertMapper implements RowMapper<StoredAlert> {

    @Override
    public StoredAlert map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new StoredAlert(
                rs.getString("id"),
                rs.getString("fingerprint"),
                AlertRule.valueOf(rs.getString("rule")),
                Severity.valueOf(rs.getString("severity")),
                rs.getString("key_id"),
                AlertStatus.valueOf(rs.getString("status")),
                rs.getString("resolution"),
                rs.getInt("occurrences"),
                instant(rs, "first_seen"),
                instant(rs, "last_seen"),
                rs.getBoolean("silenced"),
                rs.getString("silence_id"),
                rs.getString("auto_revocation"),
                instant(rs, "window_start"),
                instant(rs, "window_end"),
                instant(rs, "triggered_at"),
                instant(rs, "detected_at"),
                rs.getDouble("observed"),
                rs.getDouble("threshold"),
                nullableDouble(rs, "baseline"),
                rs.getString("summary"),
                StoredEvidence.fromJsonb(rs.getString("evidence")),
                instant(rs, "acknowledged_at"),
                rs.getString("acknowledged_by"),
                instant(rs, "resolved_at"),
                rs.getString("resolved_by"),
                instant(rs, "stored_at"),
                instant(rs, "updated_at"));
    }


    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
