package io.keywatch.api.alerts;

import java.util.Objects;

/**
 * What a failure to take in alerts means for the record(s) involved.
 *
 * @param kind       {@link Kind#TRANSIENT}: retry the same records later; {@link Kind#PERMANENT}: the record will always
 *                   fail the same way and is quarantined
 * @param reasonCode the dead-letter reason code of a permanent failure; for a transient one, what kind it is
 * @param known      false when no rule recognised the failure (then it is treated as transient and logged loudly)
 * @param decisive   the link of the cause chain the verdict rests on (the driver's exception rather than Jdbi's
 *                   wrapper, whose message quotes the statement and its arguments); the failure itself when unknown
 */
public record IntakeFailure(Kind kind, IntakeCode reasonCode, boolean known, Throwable decisive) {

    public enum Kind { TRANSIENT, PERMANENT }

    public IntakeFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(decisive, "decisive");
    }

    static IntakeFailure permanent(IntakeCode reasonCode, Throwable decisive) {
        return new IntakeFailure(Kind.PERMANENT, reasonCode, true, decisive);
    }

    static IntakeFailure transientFailure(IntakeCode reasonCode, Throwable decisive) {
        return new IntakeFailure(Kind.TRANSIENT, reasonCode, true, decisive);
    }

    /** The same failure, to be retried: what the environment, rather than the record, is to blame for. */
    IntakeFailure asTransient() {
        return new IntakeFailure(Kind.TRANSIENT, reasonCode, known, decisive);
    }

    public boolean isPermanent() {
        return kind == Kind.PERMANENT;
    }
}
