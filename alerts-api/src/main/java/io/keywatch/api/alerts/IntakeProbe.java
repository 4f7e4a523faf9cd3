package io.keywatch.api.alerts;

/**
 * Asks the environment whether it can take a known-good alert right now. The consumer calls it when every record
 * of a batch failed alone the same way, to decide who is to blame: the probe succeeds, so the records are poison
 * and quarantined; it throws, so the environment is sick and the batch is retried with back-off.
 */
@FunctionalInterface
public interface IntakeProbe {

    /** Returns when a valid alert could be taken in; throws otherwise. Leaves nothing behind. */
    void check();
}
