package io.keywatch.api.revocation;

import java.util.Arrays;
import java.util.Locale;

/** Where a revocation decision stands. */
public enum DecisionStatus {
    REVOKED,
    DRY_RUN,
    /** Waits for a person: approve revokes the key, deny leaves it active. */
    PENDING_APPROVAL,
    /** Dry-run only: the key is protected, so it would have waited for a person. */
    SKIPPED_PROTECTED,
    SKIPPED_SILENCED,
    APPROVED,
    DENIED;

    public static DecisionStatus parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status '" + text + "', expected one of "
                    + Arrays.toString(values()));
        }
    }
}
