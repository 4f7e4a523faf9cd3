package io.keywatch.streams.detect;

/** How a rule is switched off. */
public enum Toggle {
    /** For every key ({@code KEYWATCH_DETECT_DISABLED_RULES}) or for one ({@code <prefix>.enabled = 0}). */
    GLOBAL_AND_PER_KEY,
    /** Only for every key: the rule has no registry entry to hold a per-key switch, or must not have one. */
    GLOBAL_ONLY,
    /** Never: a revoked key that still works must always be reported. */
    ALWAYS_ON
}
