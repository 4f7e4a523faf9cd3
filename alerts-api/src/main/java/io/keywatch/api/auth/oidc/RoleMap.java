package io.keywatch.api.auth.oidc;

import io.keywatch.api.auth.Role;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which value of the role claim (a group, an app role) gives which keywatch role, e.g.
 * {@code keywatch-admins=admin,keywatch-oncall=responder,keywatch-readers=viewer}. Values match exactly (case
 * included); a token that carries several mapped values gets the highest of their roles, one that carries none gets
 * no role at all (and is not authenticated).
 */
public record RoleMap(Map<String, Role> roles) {

    /** More than any real group mapping needs; a longer list is a pasting mistake. */
    static final int MAX_ENTRIES = 100;
    static final int MAX_VALUE_LENGTH = 256;

    public RoleMap {
        roles = Map.copyOf(roles);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a role map needs at least one value=role entry");
        }
    }

    /**
     * @param text comma-separated {@code value=role} entries; a role is viewer, responder or admin
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static RoleMap parse(String text) {
        Map<String, Role> roles = new LinkedHashMap<>();
        for (String entry : text.split(",", -1)) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("an empty entry (two commas in a row, or one at an end)");
            }
            int eq = trimmed.lastIndexOf('=');
            if (eq <= 0 || eq == trimmed.length() - 1) {
                throw new IllegalArgumentException("each entry is value=role");
            }
            String value = trimmed.substring(0, eq).strip();
            if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("a value is 1 to " + MAX_VALUE_LENGTH + " characters");
            }
            Role role = Role.parse(trimmed.substring(eq + 1));
            if (roles.putIfAbsent(value, role) != null) {
                throw new IllegalArgumentException("a value is mapped twice");
            }
            if (roles.size() > MAX_ENTRIES) {
                throw new IllegalArgumentException("at most " + MAX_ENTRIES + " entries");
            }
        }
        return new RoleMap(roles);
    }

    /** The highest role any of {@code values} maps to; empty when none is mapped. */
    public Optional<Role> highest(Collection<String> values) {
        Role best = null;
        for (String value : values) {
            Role role = roles.get(value);
            if (role != null && (best == null || role.includes(best))) {
                best = role;
            }
        }
        return Optional.ofNullable(best);
    }

    /** As written in the setting, in a stable order (for the start-up log). */
    @Override
    public String toString() {
        return roles.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue().label()).collect(Collectors.joining(","));
    }
}
