package io.keywatch.api.auth;

import java.util.Locale;

/**
 * What an identity may do, least to most. Each role includes the ones before it.
 * <ul>
 *   <li>{@link #VIEWER}: read everything but secrets;</li>
 *   <li>{@link #RESPONDER}: triage — acknowledge and resolve alerts, silence within limits, approve or deny pending
 *       revocations, revoke a key by hand;</li>
 *   <li>{@link #ADMIN}: the key registry, webhooks, tokens, reinstating keys, rule-wide silences.</li>
 * </ul>
 */
public enum Role {
    VIEWER, RESPONDER, ADMIN;

    /** Whether this role may do what {@code required} may. */
    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }

    /** The name as written in tokens, claims and answers: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException for anything but viewer, responder or admin (any case)
     */
    public static Role parse(String value) {
        if (value != null) {
            for (Role role : values()) {
                if (role.name().equalsIgnoreCase(value.strip())) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("a role is viewer, responder or admin");
    }
}
