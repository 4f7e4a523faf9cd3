package io.keywatch.api.silences;

import io.keywatch.api.auth.Actor;
import java.time.Instant;

/**
 * Four eyes on a rule-wide silence, as silences need it: whether a second identity must approve, and filing the
 * request. Declared here and implemented by {@code approvals.FourEyes}, which creates the silence once approved, so
 * that {@code silences} does not depend on {@code approvals} (which depends on it).
 */
public interface RuleWideSilenceApprovals {

    /** Whether a rule-wide silence waits for a second identity's approval. */
    boolean enabled();

    /** Files the request; the result is the pending request, answered as the body of the 202. */
    PendingSilenceApproval requestRuleWideSilence(String rule, Instant expiresAt, String comment, Actor actor);
}
