package io.keywatch.events;

import java.util.Map;
import java.util.Objects;

/**
 * The names of keywatch's topics; configurable, with the documented defaults.
 *
 * @param alertsDlq where the alerts API quarantines alert records it can never store (with {@link DeadLetter} headers)
 * @param keyScopes the compacted topic of {@link KeyScopeUsage}: which scopes each key used (topology to alerts API)
 */
public record Topics(String usageEvents, String usageEventsDlq, String alerts, String keyState, String alertsDlq,
                     String keyScopes) {

    // constants, so that command-line help (annotations) can name the defaults without repeating them
    public static final String DEFAULT_USAGE_EVENTS = "keywatch.usage-events";
    public static final String DEFAULT_USAGE_EVENTS_DLQ = "keywatch.usage-events.dlq";
    public static final String DEFAULT_ALERTS = "keywatch.alerts";
    public static final String DEFAULT_KEY_STATE = "keywatch.key-state";
    public static final String DEFAULT_ALERTS_DLQ = DEFAULT_ALERTS + ".dlq";
    public static final String DEFAULT_KEY_SCOPES = "keywatch.key-scopes";

    public static final Topics DEFAULTS = new Topics(DEFAULT_USAGE_EVENTS, DEFAULT_USAGE_EVENTS_DLQ,
            DEFAULT_ALERTS, DEFAULT_KEY_STATE, DEFAULT_ALERTS_DLQ, DEFAULT_KEY_SCOPES);

    public Topics {
        Objects.requireNonNull(usageEvents, "usageEvents");
        Objects.requireNonNull(usageEventsDlq, "usageEventsDlq");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(keyState, "keyState");
        Objects.requireNonNull(alertsDlq, "alertsDlq");
        Objects.requireNonNull(keyScopes, "keyScopes");
    }

    /**
     * The five topics before key scopes; the key-scopes topic is named after the key-state one as the defaults are
     * ({@code keywatch.key-state} -> {@code keywatch.key-scopes}), so a writer and a reader built either way agree.
     */
    public Topics(String usageEvents, String usageEventsDlq, String alerts, String keyState, String alertsDlq) {
        this(usageEvents, usageEventsDlq, alerts, keyState, alertsDlq, keyScopesNamedAfter(keyState));
    }

    static String keyScopesNamedAfter(String keyState) {
        String suffix = "key-state";
        return keyState.endsWith(suffix)
                ? keyState.substring(0, keyState.length() - suffix.length()) + "key-scopes"
                : keyState + ".scopes";
    }

    /** The four main topics; the alerts' dead-letter topic is named after the alerts topic ({@code <alerts>.dlq}). */
    public Topics(String usageEvents, String usageEventsDlq, String alerts, String keyState) {
        this(usageEvents, usageEventsDlq, alerts, keyState, alerts + ".dlq");
    }

    /**
     * Reads {@code KEYWATCH_TOPIC_*} variables; anything unset or blank keeps its default. The alerts' dead-letter
     * topic defaults to the alerts topic's name plus {@code .dlq}, so renaming one keeps the pair together.
     */
    public static Topics fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        String alerts = env.text("KEYWATCH_TOPIC_ALERTS", DEFAULTS.alerts);
        return new Topics(
                env.text("KEYWATCH_TOPIC_USAGE_EVENTS", DEFAULTS.usageEvents),
                env.text("KEYWATCH_TOPIC_USAGE_EVENTS_DLQ", DEFAULTS.usageEventsDlq),
                alerts,
                env.text("KEYWATCH_TOPIC_KEY_STATE", DEFAULTS.keyState),
                env.text("KEYWATCH_TOPIC_ALERTS_DLQ", alerts + ".dlq"),
                env.text("KEYWATCH_TOPIC_KEY_SCOPES", DEFAULTS.keyScopes));
    }
}
