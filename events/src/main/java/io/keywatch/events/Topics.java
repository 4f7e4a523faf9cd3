package io.keywatch.events;

import java.util.Map;
import java.util.Objects;

/** The names of keywatch's topics; configurable, with the documented defaults. */
public record Topics(String usageEvents, String usageEventsDlq, String alerts, String keyState) {

    public static final Topics DEFAULTS =
            new Topics("keywatch.usage-events", "keywatch.usage-events.dlq", "keywatch.alerts", "keywatch.key-state");

    public Topics {
        Objects.requireNonNull(usageEvents, "usageEvents");
        Objects.requireNonNull(usageEventsDlq, "usageEventsDlq");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(keyState, "keyState");
    }

    /** Reads {@code KEYWATCH_TOPIC_*} variables; anything unset or blank keeps its default. */
    public static Topics fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        return new Topics(
                env.text("KEYWATCH_TOPIC_USAGE_EVENTS", DEFAULTS.usageEvents),
                env.text("KEYWATCH_TOPIC_USAGE_EVENTS_DLQ", DEFAULTS.usageEventsDlq),
                env.text("KEYWATCH_TOPIC_ALERTS", DEFAULTS.alerts),
                env.text("KEYWATCH_TOPIC_KEY_STATE", DEFAULTS.keyState));
    }
}
