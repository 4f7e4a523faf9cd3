package io.keywatch.api.auth.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.auth.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the verified claims of a token into a principal: the role from the role claim through the role map, the
 * identity {@code oidc:<identity claim, or sub>}. Claim values are the issuer's, but may hold whatever a user could
 * type into their profile, so they are bounded and checked like any actor name.
 */
final class OidcClaims {

    static final String IDENTITY_PREFIX = "oidc:";
    static final String METHOD = "jwt";
    /** The rules of {@code Actors.validate}: what history, audit and four-eyes checks can hold as a name. */
    static final Pattern ACTOR_NAME = Pattern.compile("[A-Za-z0-9._@:+-]{1,64}");
    /** Tokens of users in thousands of groups exist; only this many values are looked at. */
    static final int MAX_ROLE_VALUES = 1_000;

    private final OidcSettings settings;

    OidcClaims(OidcSettings settings) {
        this.settings = settings;
    }

    /** The principal, or (principal null) why the claims give none. */
    record Outcome(Principal principal, String refusal) {

        static Outcome accepted(Principal principal) {
            return new Outcome(principal, null);
        }

        static Outcome refused(String reason) {
            return new Outcome(null, reason);
        }
    }

    Outcome principal(JWTClaimsSet claims) {
        Optional<Role> role = settings.roleMap().highest(values(claim(claims, settings.roleClaim())));
        if (role.isEmpty()) {
            return Outcome.refused("no value of claim '" + settings.roleClaim() + "' is in KEYWATCH_OIDC_ROLE_MAP");
        }
        String identity = IDENTITY_PREFIX + identityValue(claims);
        if (!ACTOR_NAME.matcher(identity).matches()) {
            return Outcome.refused("the identity is not a valid actor name (1 to 64 of letters, digits, . _ @ : + -)");
        }
        // exp is required by the verifier; the alert stream ends when it passes
        java.util.Date exp = claims.getExpirationTime();
        return Outcome.accepted(new Principal(identity, role.get(), METHOD, exp == null ? null : exp.toInstant()));
    }

    /**
     * The identity claim's text when it has one, else {@code sub} (required by the verifier). An email the issuer
     * says is not verified is not used: anyone could have typed it. Emails are compared in lower case.
     */
    private String identityValue(JWTClaimsSet claims) {
        Object value = claim(claims, settings.identityClaim());
        if (value instanceof String text && !text.isBlank()) {
            if (settings.identityClaim().equals("email")) {
                if (Boolean.FALSE.equals(claims.getClaim("email_verified"))) {
                    return claims.getSubject();
                }
                return text.toLowerCase(Locale.ROOT);
            }
            return text;
        }
        return claims.getSubject();
    }

    /** The claim of that name; failing that, a dotted path into nested objects ({@code realm_access.roles}). */
    private static Object claim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        if (value != null || name.indexOf('.') < 0) {
            return value;
        }
        Object node = claims.getClaims();
        for (String part : name.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    /** A string claim as one value, an array claim as its strings (other entries ignored); nothing otherwise. */
    private static Collection<String> values(Object claim) {
        if (claim instanceof String text) {
            return List.of(text);
        }
        List<String> values = new ArrayList<>();
        if (claim instanceof Collection<?> items) {
            for (Object item : items) {
                if (values.size() >= MAX_ROLE_VALUES) {
                    break;
                }
                if (item instanceof String text) {
                    values.add(text);
                }
            }
        }
        return values;
    }
}
