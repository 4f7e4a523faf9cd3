package io.keywatch.api.alerts;

import io.keywatch.events.Alert;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Stores one chunk of occurrences set-based: three reads (the known occurrences and the open alerts of its
 * fingerprints, each locked in id order; the active silences of the chunk's keys), the folding decided in memory in arrival
 * order exactly as one-by-one intake would (a duplicate inside the chunk is a duplicate, an occurrence folds into the
 * alert an earlier one of the chunk opened), then one JDBC batch per kind of write. The statements a chunk costs do
 * not grow with its size.
 */
final class IntakeBatch {

    private record Known(String alertId, short severityRank, String silenceId) {
    }

    /** An open alert as the chunk changes it: the state the next occurrence's fold is judged against. */
    private static final class Group {
        final String id;
        short severityRank;
        boolean silenced;
        String silenceId;

        Group(String id, short severityRank, boolean silenced, String silenceId) {
            this.id = id;
            this.severityRank = severityRank;
            this.silenced = silenced;
            this.silenceId = silenceId;
        }
    }

    private record Silence(String id, String keyId, String rule) {
        boolean covers(Alert alert) {
            return (keyId == null || keyId.equals(alert.keyId())) && (rule == null || rule.equals(alert.rule().name()));
        }
    }

    private record Fold(String alertId, Alert alert, Instant detectedAt, int count, boolean silenced,
                        String silenceId) {
    }

    private record Opened(Alert alert, Instant detectedAt, String fingerprint, String silenceId) {
    }

    private record Occurrence(Alert alert, String alertId, short rank, Instant detectedAt, String silenceId) {
    }

    private record History(String alertId, String action, AlertStatus to, String note, String dedupeKey) {
    }

    private final Handle handle;
    private final Instant now;
    private final Function<Alert, StatementBinder> measurements;

    /** Binds an alert's measurements (severity, windows, observed, evidence...) to a batch row. */
    @FunctionalInterface
    interface StatementBinder {
        void bindTo(PreparedBatch batch, Instant detectedAt);
    }

    IntakeBatch(Handle handle, Instant now, Function<Alert, StatementBinder> measurements) {
        this.handle = handle;
        this.now = now;
        this.measurements = measurements;
    }

    /** The outcomes in the chunk's order, and the alerts it opened (for the listener), in that order. */
    record Result(List<IntakeOutcome> outcomes, List<Alert> opened) {
    }

    Result store(List<Alert> chunk) {
        Map<String, Known> known = knownOccurrences(chunk);
        List<Silence> silences = activeSilences(chunk);
        Map<String, Group> openByFingerprint = openGroups(chunk);
        Map<String, Group> openById = new HashMap<>();
        openByFingerprint.values().forEach(g -> openById.put(g.id, g));

        List<IntakeOutcome> outcomes = new ArrayList<>(chunk.size());
        List<Opened> opened = new ArrayList<>();
        List<Fold> folds = new ArrayList<>();
        List<Occurrence> occurrences = new ArrayList<>();
        Map<String, Integer> inserting = new HashMap<>();
        Map<String, Short> rankUpdates = new HashMap<>();
        List<History> history = new ArrayList<>();

        for (Alert alert : chunk) {
            Instant detectedAt = alert.detectedAt() == null ? now : AlertStore.micros(alert.detectedAt());
            short rank = (short) alert.severity().code();
            Known occurrence = known.get(alert.id());
            if (occurrence != null) {
                if (rank <= occurrence.severityRank()) {
                    outcomes.add(new IntakeOutcome(alert, occurrence.alertId(), IntakeOutcome.Kind.DUPLICATE,
                            occurrence.silenceId()));
                    continue;
                }
                // an escalation re-sent with the same id: raise the severity, count nothing
                Integer pending = inserting.get(alert.id());
                if (pending != null) {
                    // sent twice in this chunk: the row is not written yet
                    Occurrence first = occurrences.get(pending);
                    occurrences.set(pending, new Occurrence(first.alert(), first.alertId(), rank, first.detectedAt(),
                            first.silenceId()));
                } else {
                    rankUpdates.put(alert.id(), rank);
                }
                known.put(alert.id(), new Known(occurrence.alertId(), rank, occurrence.silenceId()));
                folds.add(new Fold(occurrence.alertId(), alert, detectedAt, 0, false, null));
                Group group = openById.get(occurrence.alertId());
                if (group != null) {
                    group.severityRank = (short) Math.max(group.severityRank, rank);
                }
                history.add(new History(occurrence.alertId(), "escalated", null, "occurrence " + alert.id()
                        + " escalated from " + Severity.fromCode(occurrence.severityRank()) + " to "
                        + alert.severity(), "escalated:" + alert.id() + ":" + alert.severity()));
                outcomes.add(new IntakeOutcome(alert, occurrence.alertId(), IntakeOutcome.Kind.ESCALATED,
                        occurrence.silenceId()));
                continue;
            }

            String silenceId = silences.stream().filter(s -> s.covers(alert)).map(Silence::id).findFirst()
                    .orElse(null);
            String fingerprint = AlertStore.fingerprint(alert);
            Group group = openByFingerprint.get(fingerprint);
            String alertId;
            IntakeOutcome.Kind kind;
            if (group != null) {
                alertId = group.id;
                kind = IntakeOutcome.Kind.FOLDED;
                folds.add(new Fold(alertId, alert, detectedAt, 1, silenceId != null, silenceId));
                if (rank > group.severityRank) {
                    history.add(new History(alertId, "escalated", null, "occurrence " + alert.id()
                            + " raised the severity from " + Severity.fromCode(group.severityRank) + " to "
                            + alert.severity(), "escalated:" + alert.id() + ":" + alert.severity()));
                }
                if (silenceId != null && !silenceId.equals(group.silenceId)) {
                    history.add(new History(alertId, "silenced", null, "occurrence " + alert.id()
                            + " matched silence " + silenceId, "silenced:" + alert.id()));
                } else if (silenceId == null && group.silenced) {
                    history.add(new History(alertId, "unsilenced", null, "occurrence " + alert.id()
                            + " matched no active silence", "unsilenced:" + alert.id()));
                }
                group.severityRank = (short) Math.max(group.severityRank, rank);
                group.silenced = silenceId != null;
                group.silenceId = silenceId;
            } else {
                alertId = alert.id();
                kind = IntakeOutcome.Kind.OPENED;
                opened.add(new Opened(alert, detectedAt, fingerprint, silenceId));
                Group created = new Group(alertId, rank, silenceId != null, silenceId);
                openByFingerprint.put(fingerprint, created);
                openById.put(alertId, created);
                history.add(new History(alertId, "opened", AlertStatus.OPEN, "first occurrence " + alert.id()
                        + " (" + alert.severity() + ")", "opened:" + alert.id()));
                if (silenceId != null) {
                    history.add(new History(alertId, "silenced", null, "occurrence " + alert.id()
                            + " matched silence " + silenceId, "silenced:" + alert.id()));
                }
            }
            inserting.put(alert.id(), occurrences.size());
            occurrences.add(new Occurrence(alert, alertId, rank, detectedAt, silenceId));
            known.put(alert.id(), new Known(alertId, rank, silenceId));
            outcomes.add(new IntakeOutcome(alert, alertId, kind, silenceId));
        }

        insertGroups(opened);
        foldAll(folds);
        raiseRanks(rankUpdates);
        insertOccurrences(occurrences);
        insertHistory(history);
        return new Result(outcomes, opened.stream().map(Opened::alert).toList());
    }

    // ------------------------------------------------------------------------------------------------- reads

    private Map<String, Known> knownOccurrences(List<Alert> chunk) {
        Map<String, Known> known = new HashMap<>();
        handle.createQuery("""
                        SELECT id, alert_id, severity_rank, silence_id FROM alert_occurrences
                        WHERE id = ANY(:ids) ORDER BY id FOR UPDATE
                        """)
                .bindArray("ids", String.class, distinct(chunk, Alert::id))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Known(rs.getString(2), rs.getShort(3),
                        rs.getString(4))))
                .forEach(e -> known.put(e.getKey(), e.getValue()));
        return known;
    }

    /** The active silences that may cover an occurrence of the chunk, the oldest first (the first match wins). */
    private List<Silence> activeSilences(List<Alert> chunk) {
        return handle.createQuery("""
                        SELECT id, key_id, rule FROM silences
                        WHERE deleted_at IS NULL AND expires_at > :now
                          AND (key_id = ANY(:keyIds) OR key_id IS NULL)
                        ORDER BY created_at, id
                        """)
                .bind("now", now)
                .bindArray("keyIds", String.class, distinct(chunk, Alert::keyId))
                .map((rs, ctx) -> new Silence(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list();
    }

    private Map<String, Group> openGroups(List<Alert> chunk) {
        Map<String, Group> open = new HashMap<>();
        handle.createQuery("""
                        SELECT fingerprint, id, severity_rank, silenced, silence_id FROM alerts
                        WHERE fingerprint = ANY(:fingerprints) AND status <> 'RESOLVED'
                        ORDER BY id FOR UPDATE
                        """)
                .bindArray("fingerprints", String.class, distinct(chunk, AlertStore::fingerprint))
                .map((rs, ctx) -> Map.entry(rs.getString(1), new Group(rs.getString(2), rs.getShort(3),
                        rs.getBoolean(4), rs.getString(5))))
                .forEach(e -> open.put(e.getKey(), e.getValue()));
        return open;
    }

    private static Object[] distinct(List<Alert> chunk, Function<Alert, String> field) {
        Set<String> values = new LinkedHashSet<>();
        chunk.forEach(a -> values.add(field.apply(a)));
        return values.toArray();
    }

    // ------------------------------------------------------------------------------------------------ writes

    private void insertGroups(List<Opened> opened) {
        if (opened.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch(AlertStore.INSERT_GROUP);
        for (Opened o : opened) {
            measurements.apply(o.alert()).bindTo(batch, o.detectedAt());
            batch.bind("id", o.alert().id())
                    .bind("fingerprint", o.fingerprint())
                    .bind("rule", o.alert().rule().name())
                    .bind("keyId", o.alert().keyId())
                    .bind("windowStart", AlertStore.micros(o.alert().windowStart()))
                    .bind("silenced", o.silenceId() != null)
                    .bindByType("silenceId", o.silenceId(), String.class)
                    .bind("now", now)
                    .add();
        }
        batch.execute();
    }

    /** In arrival order: each fold sees the row the previous ones left, as one-by-one intake did. */
    private void foldAll(List<Fold> folds) {
        if (folds.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch(AlertStore.FOLD);
        for (Fold f : folds) {
            measurements.apply(f.alert()).bindTo(batch, f.detectedAt());
            batch.bind("id", f.alertId())
                    .bind("count", f.count())
                    .bind("silenced", f.silenced())
                    .bindByType("silenceId", f.silenceId(), String.class)
                    .bind("now", now)
                    .add();
        }
        batch.execute();
    }

    private void raiseRanks(Map<String, Short> ranks) {
        if (ranks.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("UPDATE alert_occurrences SET severity_rank = :rank WHERE id = :id");
        ranks.forEach((id, rank) -> batch.bind("rank", rank).bind("id", id).add());
        batch.execute();
    }

    private void insertOccurrences(List<Occurrence> occurrences) {
        if (occurrences.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO alert_occurrences (id, alert_id, severity_rank, window_start, detected_at, silence_id,
                                               received_at)
                VALUES (:id, :alertId, :rank, :windowStart, :detectedAt, :silenceId, :now)
                """);
        for (Occurrence o : occurrences) {
            batch.bind("id", o.alert().id())
                    .bind("alertId", o.alertId())
                    .bind("rank", o.rank())
                    .bind("windowStart", AlertStore.micros(o.alert().windowStart()))
                    .bind("detectedAt", o.detectedAt())
                    .bindByType("silenceId", o.silenceId(), String.class)
                    .bind("now", now)
                    .add();
        }
        batch.execute();
    }

    private void insertHistory(List<History> history) {
        if (history.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch(AlertStore.INSERT_HISTORY);
        for (History h : history) {
            batch.bind("alertId", h.alertId())
                    .bind("at", now)
                    .bind("actor", AlertStore.SYSTEM)
                    .bindByType("onBehalfOf", null, String.class)
                    .bind("action", h.action())
                    .bindByType("fromStatus", null, String.class)
                    .bindByType("toStatus", h.to() == null ? null : h.to().name(), String.class)
                    .bindByType("resolution", null, String.class)
                    .bindByType("note", h.note(), String.class)
                    .bindByType("dedupeKey", h.dedupeKey(), String.class)
                    .add();
        }
        batch.execute();
    }
}
