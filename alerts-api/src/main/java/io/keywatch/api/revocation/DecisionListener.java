package io.keywatch.api.revocation;

/**
 * Told of each automatic revocation decision once its transaction committed (README: Metrics: revocations by
 * outcome). Must not throw.
 */
@FunctionalInterface
public interface DecisionListener {

    /** Hears nothing. */
    DecisionListener NONE = (status, pendingReason) -> {
    };

    /**
     * @param pendingReason for {@link DecisionStatus#PENDING_APPROVAL}, why ({@link RevocationEngine#PENDING_GUARD}:
     *                      the blast-radius guard held it; {@link RevocationEngine#PENDING_PROTECTED}: a protected
     *                      key); null otherwise
     */
    void decided(DecisionStatus status, String pendingReason);
}
