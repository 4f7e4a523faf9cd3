package io.keywatch.api.leastprivilege;

/** What the least-privilege report concludes for one registered key. */
public enum Verdict {
    /** Some registered scopes were not used in the whole window: grant {@code suggestedScopes} instead. */
    OVERPRIVILEGED,
    /** Every registered scope was used in the window. */
    LEAST_PRIVILEGE,
    /** keywatch has watched the key for less than the window: "not used" cannot be claimed yet. */
    NOT_ENOUGH_HISTORY,
    /** keywatch has never seen an event of the key (or the topology has not reported it yet). */
    NEVER_SEEN,
    /** The registry entry lists no scopes: there is nothing to narrow. */
    NO_SCOPES_REGISTERED
}
