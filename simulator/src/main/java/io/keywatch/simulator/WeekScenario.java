package io.keywatch.simulator;

import io.keywatch.events.AlertRule;

/** What a simulated week injects, and what a correct keywatch does about each. */
public enum WeekScenario {
    /** A busy key leaked: sudden volume from many IPs in many countries (as {@link IncidentKind#LEAKED_KEY}). */
    LEAKED_KEY(AlertRule.VOLUME_SPIKE, true),
    /** A quiet key (about 5 requests a minute) leaked to one scraper: one IP adds a request a second for 30 min. */
    SMALL_KEY_LEAKED(AlertRule.VOLUME_SPIKE, true),
    /**
     * A key's normal volume steps up three times and stays (a customer's launch, a new integration): not an attack.
     * The correct outcome is at most one alert on the key from the step to the end of the week.
     */
    LEVEL_SHIFT(AlertRule.VOLUME_SPIKE, false);

    private final AlertRule expectedRule;
    private final boolean shouldAlert;

    WeekScenario(AlertRule expectedRule, boolean shouldAlert) {
        this.expectedRule = expectedRule;
        this.shouldAlert = shouldAlert;
    }

    /** The rule that should catch it (for a level shift: the rule that may fire once). */
    public AlertRule expectedRule() {
        return expectedRule;
    }

    /** True for an attack keywatch must detect; false for a change it should absorb (at most one alert). */
    public boolean shouldAlert() {
        return shouldAlert;
    }
}
