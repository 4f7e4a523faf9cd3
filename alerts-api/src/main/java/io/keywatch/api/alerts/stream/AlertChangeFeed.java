package io.keywatch.api.alerts.stream;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads the {@code alert_changes} table (migration V10) that a trigger fills in the transaction of every alert insert
 * and update. Only rows whose transaction is older than every running one are returned: no row can commit below that
 * horizon any more, so reading on from the last {@link FeedPosition} never skips a change that committed late.
 */
public final class AlertChangeFeed {

    private static final String SETTLED = "c.xid < pg_snapshot_xmin(pg_current_snapshot())";

    private final Jdbi jdbi;

    public AlertChangeFeed(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The last settled row: where a stream that starts "from now" begins. */
    FeedPosition head() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT c.xid::text, c.seq FROM alert_changes c WHERE "
                        + SETTLED + " ORDER BY c.xid DESC, c.seq DESC LIMIT 1")
                .map((rs, ctx) -> new FeedPosition(Long.parseUnsignedLong(rs.getString(1)), rs.getLong(2)))
                .findOne()
                .orElse(FeedPosition.START));
    }

    /** Settled rows after {@code from} and at or before {@code upTo} (null: no upper bound), in feed order. */
    List<FeedRow> after(FeedPosition from, FeedPosition upTo, int limit) {
        String bound = upTo == null ? "" : " AND (c.xid, c.seq) <= (CAST(:toXid AS xid8), :toSeq)";
        return jdbi.withHandle(handle -> {
            var query = handle.createQuery("""
                            SELECT c.xid::text, c.seq, c.alert_id, c.change FROM alert_changes c
                            WHERE (c.xid, c.seq) > (CAST(:xid AS xid8), :seq) AND\s""" + SETTLED + bound + """

                            ORDER BY c.xid, c.seq
                            LIMIT :limit
                            """)
                    .bind("xid", Long.toUnsignedString(from.xid()))
                    .bind("seq", from.seq())
                    .bind("limit", limit);
            if (upTo != null) {
                query.bind("toXid", Long.toUnsignedString(upTo.xid())).bind("toSeq", upTo.seq());
            }
            return query.map((rs, ctx) -> new FeedRow(
                            new FeedPosition(Long.parseUnsignedLong(rs.getString(1)), rs.getLong(2)),
                            rs.getString(3), "created".equals(rs.getString(4))))
                    .list();
        });
    }

    /** Where the row with this sequence number (an SSE event id) lies; empty when pruned or never written. */
    Optional<FeedPosition> positionOf(long seq) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT xid::text, seq FROM alert_changes WHERE seq = :seq")
                .bind("seq", seq)
                .map((rs, ctx) -> new FeedPosition(Long.parseUnsignedLong(rs.getString(1)), rs.getLong(2)))
                .findOne());
    }

    /** Deletes the changes recorded before {@code cutoff}; returns how many. */
    int prune(Instant cutoff) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM alert_changes WHERE at < :cutoff")
                .bind("cutoff", cutoff)
                .execute());
    }
}
