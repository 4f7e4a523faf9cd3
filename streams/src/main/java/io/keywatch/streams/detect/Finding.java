package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.util.Map;

/** What a rule found, before it becomes an {@link io.keywatch.events.Alert}: the rule-specific part only. */
public record Finding(
        AlertRule rule,
        Severity severity,
        double observed,
        double threshold,
        Double baseline,
        String summary,
        Map<String, Object> evidence) {
}
