package io.keywatch.tools.evaluate.labelled;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One distinct alert as scoring sees it: its id, rule, when it fired (its first {@code triggeredAt}; an alert
 * escalated within its window is emitted twice under one id and counts once) and its highest severity (an alert
 * escalated to {@code HIGH} pages).
 */
public record Raised(String id, AlertRule rule, Instant at, Severity severity) {

    public Raised {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(severity, "severity");
    }

    /** An alert whose severity is not known: counted as a page. */
    public Raised(String id, AlertRule rule, Instant at) {
        this(id, rule, at, Severity.HIGH);
    }

    /** Whether it pages a person: {@code HIGH} or {@code CRITICAL}. */
    public boolean pages() {
        return severity.compareTo(Severity.HIGH) >= 0;
    }

    /** True for the volume rules (VOLUME_SPIKE today; VOLUME_DROP and any other VOLUME_* rule when they come). */
    public boolean volumeRule() {
        return isVolumeRule(rule);
    }

    public static boolean isVolumeRule(AlertRule rule) {
        return rule.name().startsWith("VOLUME_");
    }

    /** The distinct alerts of {@code alerts} (by id, earliest trigger time), in time order. */
    public static List<Raised> distinct(List<Alert> alerts) {
        Map<String, Raised> byId = new LinkedHashMap<>();
        for (Alert alert : alerts) {
            Instant at = alert.triggeredAt() != null ? alert.triggeredAt() : alert.windowStart();
            byId.merge(alert.id(), new Raised(alert.id(), alert.rule(), at, alert.severity()),
                    (a, b) -> new Raised(a.id(), a.rule(), b.at().isBefore(a.at()) ? b.at() : a.at(),
                            b.severity().compareTo(a.severity()) > 0 ? b.severity() : a.severity()));
        }
        List<Raised> list = new ArrayList<>(byId.values());
        list.sort(Comparator.comparing(Raised::at).thenComparing(Raised::id));
        return List.copyOf(list);
    }
}
