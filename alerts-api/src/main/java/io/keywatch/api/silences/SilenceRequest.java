package io.keywatch.api.silences;

import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.input.InputInstants;
import io.keywatch.api.input.JsonFields;
import io.keywatch.api.input.KeyIdInput;
import io.keywatch.events.AlertRule;
import io.keywatch.events.EnumNames;
import java.time.Instant;

/**
 * The body of {@code POST /api/v1/silences}, bound by {@code JsonBodies.bind}, each field checked here. Whether
 * fields are required, and the checks against the clock and the caller's role, stay with the controller, which
 * knows the order in which a client should hear about them.
 */
public record SilenceRequest(String keyId, String rule, String expiresAt, String comment, String createdBy) {

    static final int MAX_RULE = 100;
    static final int MAX_COMMENT = 1_000;
    static final int MAX_CREATED_BY = 64;

    public SilenceRequest {
        keyId = KeyIdInput.check("keyId", JsonFields.checkedText("keyId", keyId, KeyIdInput.MAX_ID_LENGTH));
        if (keyId != null) {
            // a silence is stored and listed: never a secret (a fingerprint is fine: it silences SECRET_IN_TELEMETRY)
            KeyIdInput.refuseSecret(keyId);
        }
        rule = JsonFields.checkedText("rule", rule, MAX_RULE);
        if (rule != null) {
            rule = parseRule(rule).name();
        }
        expiresAt = JsonFields.checkedText("expiresAt", expiresAt, 64);
        if (expiresAt != null) {
            InputInstants.require("expiresAt", expiresAt);
        }
        comment = JsonFields.checkedFreeText("comment", comment, MAX_COMMENT);
        createdBy = JsonFields.checkedText("createdBy", createdBy, MAX_CREATED_BY);
    }

    /** {@code expiresAt} as an instant, null when absent; the constructor has checked it. */
    public Instant expiry() {
        return expiresAt == null ? null : InputInstants.require("expiresAt", expiresAt);
    }

    private static AlertRule parseRule(String value) {
        try {
            return EnumNames.parse(AlertRule.class, "rule", value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("rule: " + e.getMessage());
        }
    }
}
