package io.keywatch.api.silences;

import java.time.Instant;

/**
 * A rule-wide silence waiting for a second identity's approval, as {@code silences} sees it: implemented by
 * {@code approvals.ApprovalRequest}, whose JSON is the 202's body.
 */
public interface PendingSilenceApproval {

    /** The approval request's id: what the second identity approves or denies. */
    String id();

    /** The rule the silence would cover. */
    String rule();

    /** When the silence would end. */
    Instant silenceExpiresAt();

    /** When the request lapses unless decided. */
    Instant expiresAt();
}
