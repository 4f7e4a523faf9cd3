package io.keywatch.api.alerts;

import static io.keywatch.api.db.Columns.instant;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a row of {@code AlertStore}'s summary columns to an {@link AlertSummary}; by hand, as StoredAlertMapper. */
public final class AlertSummaryMapper implements RowMapper<AlertSummary> {

    @Override
    public AlertSummary map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new AlertSummary(
                rs.getString("id"),
                AlertRule.valueOf(rs.getString("rule")),
                Severity.valueOf(rs.getString("severity")),
                rs.getString("key_id"),
                AlertStatus.valueOf(rs.getString("status")),
                rs.getString("resolution"),
                rs.getInt("occurrences"),
                instant(rs, "detected_at"),
                instant(rs, "last_seen"),
                rs.getBoolean("silenced"),
                rs.getString("auto_revocation"),
                rs.getString("summary"));
    }

}
