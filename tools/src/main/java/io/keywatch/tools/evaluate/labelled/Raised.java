package io.keywatch.tools.evaluate.labelled;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One distinct alert as scoring sees it: its id, rule and when it fired (its first {@code triggeredAt}; an alert
 * escalated within its window is emitted twice under one id and counts once).
 */
public record Raised(String id, AlertRule rule, Instant at) {

    public Raised {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(at, "at");
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
            byId.merge(alert.id(), new Raised(alert.id(), alert.rule(), at),
                    (a, b) -> b.at().isBefore(a.at()) ? b : a);
        }
        List<Raised> list = new ArrayList<>(byId.values());
        list.sort(Comparator.comparing(Raised::at).thenComparing(Raised::id));
        return List.copyOf(list);
    }
}
