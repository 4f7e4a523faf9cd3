package io.keywatch.api.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.Alert;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/** Alerts in PostgreSQL: idempotent storage keyed on the alert id, and newest-first keyset queries. */
public final class AlertStore {

    private static final String COLUMNS = """
            id, rule, severity, key_id, window_start, window_end, triggered_at, detected_at,
            observed, threshold, baseline, summary, evidence::text AS evidence, status, stored_at
            """;

    /*
     * The topology may deliver an alert more than once (replays, retries) and re-emits it once when it escalates.
     * A repeat changes nothing; an escalation raises the severity and refreshes the measurements. detected_at stays
     * the first detection, so a page boundary never moves under a client that is paging.
     */
    private static final String UPSERT = """
            INSERT INTO alerts (id, rule, severity, severity_rank, key_id, window_start, window_end, triggered_at,
                                detected_at, observed, threshold, baseline, summary, evidence)
            VALUES (:id, :rule, :severity, :severityRank, :keyId, :windowStart, :windowEnd, :triggeredAt,
                    :detectedAt, :observed, :threshold, :baseline, :summary, CAST(:evidence AS jsonb))
            ON CONFLICT (id) DO UPDATE SET
                severity      = EXCLUDED.severity,
                severity_rank = EXCLUDED.severity_rank,
                window_end    = EXCLUDED.window_end,
                triggered_at  = EXCLUDED.triggered_at,
                observed      = EXCLUDED.observed,
                threshold     = EXCLUDED.threshold,
                baseline      = EXCLUDED.baseline,
                summary       = EXCLUDED.summary,
                evidence      = EXCLUDED.evidence
            WHERE alerts.severity_rank < EXCLUDED.severity_rank
            """;

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Clock clock;

    public AlertStore(Jdbi jdbi, ObjectMapper json, Clock clock) {
        this.jdbi = jdbi;
        this.json = json;
        this.clock = clock;
    }

    public AlertStore(Jdbi jdbi, ObjectMapper json) {
        this(jdbi, json, Clock.systemUTC());
    }

    /**
     * Stores the alerts in one transaction: all or none, so a caller that retries after a failure never
     * half-stores a batch. Returns how many rows were inserted or escalated.
     */
    public int storeAll(List<Alert> alerts) {
        if (alerts.isEmpty()) {
            return 0;
        }
        Instant now = micros(clock.instant());
        return jdbi.inTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch(UPSERT);
            for (Alert alert : alerts) {
                batch.bind("id", alert.id())
                        .bind("rule", alert.rule().name())
                        .bind("severity", alert.severity().name())
                        .bind("severityRank", (short) alert.severity().ordinal())
                        .bind("keyId", alert.keyId())
                        .bind("windowStart", micros(alert.windowStart()))
                        .bind("windowEnd", micros(alert.windowEnd()))
                        .bindByType("triggeredAt", micros(alert.triggeredAt()), Instant.class)
                        // an alert without a detection time sorts by when it reached us
                        .bind("detectedAt", alert.detectedAt() == null ? now : micros(alert.detectedAt()))
                        .bind("observed", alert.observed())
                        .bind("threshold", alert.threshold())
                        .bindByType("baseline", alert.baseline(), Double.class)
                        .bindByType("summary", alert.summary(), String.class)
                        .bind("evidence", toJson(alert.evidence()))
                        .add();
            }
            int changed = 0;
            for (int rows : batch.execute()) {
                changed += Math.max(rows, 0);
            }
            return changed;
        });
    }

    public int store(Alert alert) {
        return storeAll(List.of(alert));
    }

    public Optional<StoredAlert> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM alerts WHERE id = :id")
                .bind("id", id)
                .mapTo(StoredAlert.class)
                .findOne());
    }

    /** One page, newest first; every filter runs in SQL and the cursor is a keyset seek on (detected_at, id). */
    public AlertPage search(AlertQuery query) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (query.keyId() != null) {
            conditions.add("key_id = :keyId");
            params.put("keyId", query.keyId());
        }
        if (query.rule() != null) {
            conditions.add("rule = :rule");
            params.put("rule", query.rule().name());
        }
        if (query.minSeverity() != null) {
            conditions.add("severity_rank >= :minRank");
            params.put("minRank", (short) query.minSeverity().ordinal());
        }
        if (query.status() != null) {
            conditions.add("status = :status");
            params.put("status", query.status().name());
        }
        if (query.since() != null) {
            conditions.add("detected_at >= :since");
            params.put("since", query.since());
        }
        if (query.until() != null) {
            conditions.add("detected_at < :until");
            params.put("until", query.until());
        }
        if (query.after() != null) {
            // a row comparison the (detected_at DESC, id DESC) indexes can seek to directly
            conditions.add("(detected_at, id) < (:afterAt, :afterId)");
            params.put("afterAt", query.after().detectedAt());
            params.put("afterId", query.after().id());
        }
        String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions) + "\n";
        String sql = "SELECT " + COLUMNS + " FROM alerts\n" + where
                + "ORDER BY detected_at DESC, id DESC\nLIMIT :fetch";
        // one extra row says whether another page exists without a COUNT
        List<StoredAlert> rows = jdbi.withHandle(handle -> {
            Query q = handle.createQuery(sql).bindMap(params).bind("fetch", query.limit() + 1);
            return q.mapTo(StoredAlert.class).list();
        });
        if (rows.size() <= query.limit()) {
            return new AlertPage(rows, null);
        }
        List<StoredAlert> page = rows.subList(0, query.limit());
        StoredAlert last = page.get(page.size() - 1);
        return new AlertPage(page, new AlertCursor(last.detectedAt(), last.id()).encode());
    }

    /** The key's newest alerts, newest first. */
    public List<StoredAlert> recentForKey(String keyId, int limit) {
        return search(new AlertQuery(keyId, null, null, null, null, null, limit, null)).items();
    }

    private String toJson(Map<String, Object> evidence) {
        try {
            return json.writeValueAsString(evidence);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("alert evidence cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** PostgreSQL keeps microseconds; truncating first keeps cursors and round-trips exact. */
    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
