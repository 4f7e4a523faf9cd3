package io.keywatch.api.tokens;

import io.keywatch.api.auth.Role;
import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.input.JsonFields;

/**
 * The body of {@code POST /api/v1/tokens}, bound by {@code JsonBodies.bind}: each field is checked here, so a
 * request that exists is a valid one.
 */
public record TokenRequest(String name, String role, Integer expiresInDays, String description) {

    static final int MAX_ROLE = 64;

    public TokenRequest {
        name = JsonFields.required("name", JsonFields.checkedText("name", name, ApiTokens.MAX_NAME));
        role = JsonFields.required("role", JsonFields.checkedText("role", role, MAX_ROLE));
        parseRole(role);
        description = JsonFields.checkedFreeText("description", description, ApiTokens.MAX_DESCRIPTION);
    }

    /** The role asked for; the constructor has checked that it is one. */
    public Role parsedRole() {
        return parseRole(role);
    }

    private static Role parseRole(String text) {
        try {
            return Role.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("role: " + e.getMessage());
        }
    }
}
