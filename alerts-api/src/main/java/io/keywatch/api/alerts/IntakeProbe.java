package io.keywatch.api.alerts;

/**
 * Asks the environment whether it can take a known-good alert right now. The consumer calls it when a record fails
 * alone before any record of its batch was stored, to decide who is to blame: the probe succeeds, so the record is
 * poison and quarantined; it throws, so the rest of the batch decides (stored: the record is poison; refused: the
 * environment is sick and the batch is retried with back-off).
 */
@FunctionalInterface
public interface IntakeProbe {

    /** Returns when a valid alert could be taken in; throws otherwise. Leaves nothing behind. */
    void check();
}
