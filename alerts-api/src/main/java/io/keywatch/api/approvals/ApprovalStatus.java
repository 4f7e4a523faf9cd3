package io.keywatch.api.approvals;

import java.util.Locale;

/** Where an approval request stands. Stored and answered by name. */
public enum ApprovalStatus {
    /** Waiting for a second identity. */
    PENDING,
    /** Approved and carried out. */
    APPROVED,
    /** Denied (or withdrawn by its requester): nothing was changed. */
    DENIED,
    /** Nobody decided in time: nothing was changed. */
    EXPIRED,
    /** Approved, but the change was no longer possible (e.g. the key was reinstated meanwhile); see the outcome. */
    FAILED;

    /**
     * @throws IllegalArgumentException for anything but the names above (any case)
     */
    public static ApprovalStatus parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status is one of pending, approved, denied, expired, failed");
        }
    }
}
