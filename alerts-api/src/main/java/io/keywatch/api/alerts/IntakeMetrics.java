package io.keywatch.api.alerts;

import java.util.List;

/**
 * What the alert intake reports once a batch is committed (README: Metrics): alerts stored, by outcome, and the
 * intake lag (the alert's detection to now).
 */
@FunctionalInterface
public interface IntakeMetrics {

    /** Reports nothing. */
    IntakeMetrics NONE = outcomes -> {
    };

    void stored(List<IntakeOutcome> outcomes);
}
