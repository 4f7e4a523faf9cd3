package io.keywatch.api.alerts;

import io.keywatch.events.signing.RecordSignatures;

/**
 * An alert record whose signature does not verify ({@link RecordSignatures}): quarantined, never acted on. Its message
 * quotes no attacker text (the verdict's reasons are fixed phrases).
 */
public final class UnverifiedAlertException extends RuntimeException {

    private final IntakeCode code;

    public UnverifiedAlertException(RecordSignatures.Verdict verdict) {
        // no stack trace: a verdict about data, thrown per forged record
        super(verdict.reason(), null, false, false);
        this.code = switch (verdict.reasonCode()) {
            case "unsigned" -> IntakeCode.UNSIGNED;
            case "unknown-signing-key" -> IntakeCode.UNKNOWN_SIGNING_KEY;
            default -> IntakeCode.BAD_SIGNATURE;
        };
    }

    public IntakeCode code() {
        return code;
    }
}
