package io.keywatch.api.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.audit.AuditActor;
import io.keywatch.api.audit.AuditEntry;
import io.keywatch.api.audit.AuditTrail;
import io.keywatch.api.auth.Actor;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Alerts in PostgreSQL. The topology sends occurrences (one alert id per rule, key and window); the store folds the
 * occurrences of one rule for one key into one alert until that alert is resolved, remembers every occurrence id (so
 * replays change nothing), keeps each alert's lifecycle and history, and serves newest-first keyset queries.
 */
public final class AlertStore {

    /** The system actor: intake and the auto-resolve job. */
    public static final String SYSTEM = "system";

    static final String COLUMNS = """
            id, fingerprint, rule, severity, key_id, status, resolution, occurrences, detected_at AS first_seen,
            last_seen, silenced, silence_id, auto_revocation, window_start, window_end, triggered_at, detected_at,
            observed, threshold, baseline, summary, evidence::text AS evidence, acknowledged_at, acknowledged_by,
            resolved_at, resolved_by, stored_at, updated_at
            """;

    /** The columns of {@link AlertSummary}. */
    static final String SUMMARY_COLUMNS = """
            id, rule, severity, key_id, status, resolution, occurrences, detected_at, last_seen, silenced,
            auto_revocation, summary
            """;

    static final String INSERT_GROUP = """
            INSERT INTO alerts (id, fingerprint, rule, severity, severity_rank, key_id, window_start, window_end,
                                triggered_at, detected_at, last_seen, observed, threshold, baseline, summary, evidence,
                                status, occurrences, silenced, silence_id, stored_at, updated_at)
            VALUES (:id, :fingerprint, :rule, :severity, :severityRank, :keyId, :windowStart, :windowEnd,
                    :triggeredAt, :detectedAt, :detectedAt, :observed, :threshold, :baseline, :summary,
                    CAST(:evidence AS jsonb), 'OPEN', 1, :silenced, :silenceId, :now, :now)
            """;

    /*
     * Folds an occurrence into its alert. The right-hand sides see the row before the update, so "the latest
     * occurrence" is the one detected at or after the alert's lastSeen: only it replaces the measurements.
     */
    static final String FOLD = """
            UPDATE alerts SET
                occurrences   = occurrences + :count,
                severity      = CASE WHEN :severityRank > severity_rank THEN :severity ELSE severity END,
                severity_rank = GREATEST(severity_rank, :severityRank),
                window_end    = GREATEST(window_end, :windowEnd),
                triggered_at  = CASE WHEN :detectedAt >= last_seen THEN :triggeredAt ELSE triggered_at END,
                observed      = CASE WHEN :detectedAt >= last_seen THEN :observed ELSE observed END,
                threshold     = CASE WHEN :detectedAt >= last_seen THEN :threshold ELSE threshold END,
                baseline      = CASE WHEN :detectedAt >= last_seen THEN :baseline ELSE baseline END,
                summary       = CASE WHEN :detectedAt >= last_seen THEN :summary ELSE summary END,
                evidence      = CASE WHEN :detectedAt >= last_seen THEN CAST(:evidence AS jsonb) ELSE evidence END,
                last_seen     = GREATEST(last_seen, :detectedAt),
                silenced      = CASE WHEN :count = 1 THEN :silenced ELSE silenced END,
                silence_id    = CASE WHEN :count = 1 THEN :silenceId ELSE silence_id END,
                updated_at    = :now
            WHERE id = :id
            """;

    static final String INSERT_HISTORY = """
            INSERT INTO alert_history (alert_id, at, actor, on_behalf_of, action, from_status, to_status, resolution, note,
                                       dedupe_key)
            VALUES (:alertId, :at, :actor, :onBehalfOf, :action, :fromStatus, :toStatus, :resolution, :note, :dedupeKey)
            ON CONFLICT (dedupe_key) DO NOTHING
            """;

    /*
     * Resolves a batch of quiet alerts. SKIP LOCKED: several API instances can run the job at once, and an alert that
     * intake or a person is changing right now is simply left for the next run.
     */
    private static final String AUTO_RESOLVE = """
            WITH due AS (
                SELECT id, status FROM alerts
                WHERE status <> 'RESOLVED' AND last_seen < :cutoff
                ORDER BY last_seen
                LIMIT :batch
                FOR UPDATE SKIP LOCKED),
            resolved AS (
                UPDATE alerts a SET status = 'RESOLVED', resolution = 'auto_resolved', resolved_at = :now,
                                    resolved_by = 'system', updated_at = :now
                FROM due WHERE a.id = due.id
                RETURNING a.id, due.status AS from_status)
            INSERT INTO alert_history (alert_id, at, actor, action, from_status, to_status, resolution, note)
            SELECT id, :now, 'system', 'resolved', from_status, 'RESOLVED', 'auto_resolved', :note FROM resolved
            """;

    /** Occurrences per chunk: what one statement of a batch carries at most. */
    static final int CHUNK = 500;

    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Clock clock;
    private final AlertListener listener;

    public AlertStore(Jdbi jdbi, ObjectMapper json, Clock clock, AlertListener listener) {
        this.jdbi = jdbi;
        this.json = json;
        this.clock = clock;
        this.listener = listener == null ? AlertListener.NONE : listener;
    }

    public AlertStore(Jdbi jdbi, ObjectMapper json, Clock clock) {
        this(jdbi, json, clock, AlertListener.NONE);
    }

    public AlertStore(Jdbi jdbi, ObjectMapper json) {
        this(jdbi, json, Clock.systemUTC());
    }

    /** The alerts and their history as seen through {@code handle}: the caller's transaction. */
    public Alerts on(Handle handle) {
        return new Alerts(handle);
    }

    // ---------------------------------------------------------------------------------------------- intake

    /**
     * Stores received alerts (occurrences) in one transaction: all or none, so a caller that retries after a failure
     * never half-stores a batch. Idempotent per occurrence id.
     */
    public List<IntakeOutcome> intake(List<Alert> alerts) {
        if (alerts.isEmpty()) {
            return List.of();
        }
        return jdbi.inTransaction(handle -> intake(handle, alerts));
    }

    /**
     * Runs the intake path for a synthetic valid alert in a transaction that is always rolled back: it throws when
     * the database cannot take a valid alert right now (a missing grant or table, a broken migration), and returns
     * when it can, leaving nothing behind. The alert consumer asks this to tell a sick environment from poison.
     */
    public void probe() {
        try {
            jdbi.useTransaction(handle -> {
                intake(handle, List.of(probeAlert(micros(clock.instant()))));
                throw new ProbeRollback();
            });
        } catch (ProbeRollback expected) {
            // the intake worked and its writes are rolled back
        }
    }

    private static Alert probeAlert(Instant now) {
        Instant windowStart = now.minus(Duration.ofMinutes(2));
        return new Alert("keywatch-intake-probe", AlertRule.VOLUME_SPIKE, Severity.LOW, "keywatch-intake-probe",
                windowStart, windowStart.plus(Duration.ofMinutes(1)), now, now, 1, 1, null, "intake probe", Map.of());
    }

    /** Thrown to roll the probe's transaction back; never leaves {@link #probe()}. */
    private static final class ProbeRollback extends RuntimeException {
        ProbeRollback() {
            super("probe rolled back", null, false, false);
        }
    }

    /**
     * {@link #intake(List)} inside the caller's transaction: set-based, in chunks of {@link #CHUNK} occurrences, each
     * costing a fixed number of statements whatever its size ({@link IntakeBatch}).
     */
    public List<IntakeOutcome> intake(Handle handle, List<Alert> alerts) {
        Instant now = micros(clock.instant());
        IntakeBatch batch = new IntakeBatch(handle, now,
                alert -> (statement, detectedAt) -> bindMeasurements(statement, alert, detectedAt));
        List<IntakeOutcome> outcomes = new ArrayList<>(alerts.size());
        for (int from = 0; from < alerts.size(); from += CHUNK) {
            IntakeBatch.Result chunk = batch.store(alerts.subList(from, Math.min(alerts.size(), from + CHUNK)));
            if (!chunk.opened().isEmpty()) {
                listener.opened(handle, chunk.opened());
            }
            outcomes.addAll(chunk.outcomes());
        }
        return outcomes;
    }

    /** Stores the alerts; returns how many opened, folded into or escalated an alert (replays count zero). */
    public int storeAll(List<Alert> alerts) {
        return (int) intake(alerts).stream().filter(IntakeOutcome::changed).count();
    }

    public int store(Alert alert) {
        return storeAll(List.of(alert));
    }

    private <S extends SqlStatement<S>> S bindMeasurements(S statement, Alert alert, Instant detectedAt) {
        return statement.bind("severity", alert.severity().name())
                .bind("severityRank", (short) alert.severity().code())
                .bind("windowEnd", micros(alert.windowEnd()))
                .bindByType("triggeredAt", micros(alert.triggeredAt()), Instant.class)
                .bind("detectedAt", detectedAt)
                .bind("observed", alert.observed())
                .bind("threshold", alert.threshold())
                .bindByType("baseline", alert.baseline(), Double.class)
                .bindByType("summary", alert.summary(), String.class)
                .bind("evidence", toJson(alert.evidence()));
    }

    /** {@code RULE:keyId}: the occurrences of one rule for one key make one alert. */
    public static String fingerprint(Alert alert) {
        return alert.rule().name() + ':' + alert.keyId();
    }

    /**
     * Records what automatic revocation did about an occurrence: a marker on the alert and one history entry per
     * occurrence and outcome (a replay writes none).
     *
     * @param marker REVOKED, SKIPPED_PROTECTED, SKIPPED_SILENCED, DRY_RUN or PENDING_APPROVAL
     */
    public void recordAutoRevocation(String alertId, String occurrenceId, String marker, String actor, String note) {
        Instant now = micros(clock.instant());
        jdbi.useTransaction(handle ->
                on(handle).recordAutoRevocation(alertId, occurrenceId, marker, actor, note, now));
    }

    /** What automatic revocation did about one occurrence: see {@link #recordAutoRevocation}. */
    public record AutoRevocationMark(String alertId, String occurrenceId, String marker, String actor, String note) {
    }

    // ------------------------------------------------------------------------------------------- lifecycle

    /**
     * Moves the alert (found by its id or any occurrence id) to {@code to}, recording who, when and why. Empty when
     * there is no such alert; throws {@link IllegalTransitionException} when its status does not allow the change.
     */
    public Optional<StoredAlert> transition(String id, AlertStatus to, Set<AlertStatus> allowedFrom, String actor,
                                            String note, Resolution resolution) {
        return transition(id, to, allowedFrom, actor, note, resolution, AuditActor.keywatch(actor));
    }

    /** The same, recorded in the audit trail as made by {@code by}, in the change's transaction. */
    public Optional<StoredAlert> transition(String id, AlertStatus to, Set<AlertStatus> allowedFrom, String actor,
                                            String note, Resolution resolution, Actor by) {
        String onBehalfOf = by.onBehalfOf();
        Instant now = micros(clock.instant());
        String action = to == AlertStatus.RESOLVED ? "resolve" : "acknowledge";
        return jdbi.inTransaction(handle -> {
            Alerts alerts = on(handle);
            Optional<String> alertId = alerts.resolveId(id);
            if (alertId.isEmpty()) {
                return Optional.empty();
            }
            Optional<AlertStatus> current = handle.createQuery("SELECT status FROM alerts WHERE id = :id FOR UPDATE")
                    .bind("id", alertId.get())
                    .mapTo(AlertStatus.class)
                    .findOne();
            if (current.isEmpty()) {
                return Optional.empty();
            }
            if (!allowedFrom.contains(current.get())) {
                throw new IllegalTransitionException(alertId.get(), current.get(), action);
            }
            String sql = to == AlertStatus.RESOLVED
                    ? """
                      UPDATE alerts SET status = 'RESOLVED', resolution = :resolution, resolved_at = :now,
                                        resolved_by = :actor, updated_at = :now
                      WHERE id = :id
                      """
                    : """
                      UPDATE alerts SET status = 'ACKNOWLEDGED', acknowledged_at = :now, acknowledged_by = :actor,
                                        updated_at = :now
                      WHERE id = :id
                      """;
            handle.createUpdate(sql)
                    .bind("id", alertId.get())
                    .bind("now", now)
                    .bind("actor", actor)
                    .bindByType("resolution", resolution == null ? null : resolution.wireName(), String.class)
                    .execute();
            String verb = to == AlertStatus.RESOLVED ? "resolved" : "acknowledged";
            alerts.history(alertId.get(), now, actor, onBehalfOf, verb, current.get(), to,
                    resolution == null ? null : resolution.wireName(), note, null);
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("status", to.name());
            after.put("resolution", resolution == null ? null : resolution.wireName());
            after.put("note", note);
            new AuditTrail(handle).record(AuditEntry.of(by, now, "alert." + verb, "alert", alertId.get(),
                    Map.of("status", current.get().name()), after));
            return alerts.find(alertId.get());
        });
    }

    /**
     * Resolves alerts that have had no occurrence for {@code quiet} (resolution {@code auto_resolved}, actor
     * {@code system}); returns how many.
     */
    public int autoResolve(Duration quiet) {
        Instant now = micros(clock.instant());
        Instant cutoff = now.minus(quiet);
        String note = "no occurrence for " + describe(quiet) + " (last seen before " + cutoff + ")";
        int total = 0;
        while (true) {
            int resolved = jdbi.withHandle(handle -> handle.createUpdate(AUTO_RESOLVE)
                    .bind("cutoff", cutoff)
                    .bind("now", now)
                    .bind("batch", 1_000)
                    .bind("note", note)
                    .execute());
            total += resolved;
            if (resolved < 1_000) {
                return total;
            }
        }
    }

    static String describe(Duration duration) {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }

    /** The alert's history, oldest first; empty for an unknown id. */
    public List<AlertHistoryEntry> history(String id) {
        return jdbi.withHandle(handle -> on(handle).resolveId(id).map(alertId -> handle.createQuery("""
                                SELECT at, actor, on_behalf_of, action, from_status, to_status, resolution, note
                                FROM alert_history WHERE alert_id = :id ORDER BY id
                                """)
                        .bind("id", alertId)
                        .mapTo(AlertHistoryEntry.class)
                        .list())
                .orElse(List.of()));
    }

    // ---------------------------------------------------------------------------------------------- queries

    /** The alert with this id, or the alert an occurrence with this id was folded into. */
    public Optional<StoredAlert> find(String id) {
        return jdbi.withHandle(handle -> {
            Alerts alerts = on(handle);
            return alerts.resolveId(id).flatMap(alerts::find);
        });
    }

    /** The alerts with these (group) ids, in no particular order; ids with no alert are left out. */
    public List<StoredAlert> findAll(Collection<String> alertIds) {
        if (alertIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM alerts WHERE id = ANY(:ids)")
                .bindArray("ids", String.class, alertIds.toArray())
                .mapTo(StoredAlert.class)
                .list());
    }

    /** One page, newest first; every filter runs in SQL and the cursor is a keyset seek on (detected_at, id). */
    public AlertPage search(AlertQuery query) {
        return page(fetch(query, COLUMNS, StoredAlert.class), query.limit(),
                last -> new AlertCursor(last.detectedAt(), last.id()), AlertPage::new);
    }

    /**
     * The same page in the compact view: the same rows and cursor, fewer columns read (no evidence, which is most of
     * a row's bytes) and fewer written.
     */
    public AlertSummaryPage searchSummaries(AlertQuery query) {
        return page(fetch(query, SUMMARY_COLUMNS, AlertSummary.class), query.limit(),
                last -> new AlertCursor(last.detectedAt(), last.id()), AlertSummaryPage::new);
    }

    /** The first {@code limit} rows, and the cursor after the last of them when {@link #fetch} found one more. */
    private static <T, P> P page(List<T> rows, int limit, Function<T, AlertCursor> cursorAfter,
                                 BiFunction<List<T>, String, P> page) {
        if (rows.size() <= limit) {
            return page.apply(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return page.apply(items, cursorAfter.apply(items.get(items.size() - 1)).encode());
    }

    /** The page's rows and one more, which says whether another page exists without a COUNT. */
    private <T> List<T> fetch(AlertQuery query, String columns, Class<T> type) {
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
            // a literal (an enum ordinal, one of four), not a parameter: lets the planner use the partial indexes on
            // HIGH and CRITICAL alerts, which a generic plan of a prepared statement could not
            conditions.add("severity_rank >= " + query.minSeverity().code());
        }
        if (query.status() != null) {
            conditions.add("status = :status");
            params.put("status", query.status().name());
        }
        if (query.silenced() != null) {
            // a literal, not a parameter: lets the planner use the partial index on silenced alerts
            conditions.add(query.silenced() ? "silenced" : "NOT silenced");
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
        String sql = "SELECT " + columns + " FROM alerts\n" + where
                + "ORDER BY detected_at DESC, id DESC\nLIMIT :fetch";
        return jdbi.withHandle(handle -> {
            Query q = handle.createQuery(sql).bindMap(params).bind("fetch", query.limit() + 1);
            return q.mapTo(type).list();
        });
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
    static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
