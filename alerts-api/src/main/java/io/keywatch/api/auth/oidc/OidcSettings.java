package io.keywatch.api.auth.oidc;

import io.keywatch.events.Env;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Single sign-on with bearer JWTs from one OIDC issuer ({@code KEYWATCH_OIDC_*}); off unless
 * {@code KEYWATCH_OIDC_ISSUER} is set.
 *
 * @param issuer             the {@code iss} every token must carry, exactly; null turns single sign-on off
 * @param audience           a value the token's {@code aud} must contain (keywatch's client id or API identifier)
 * @param jwksUrl            where the issuer's signing keys are; null discovers them from
 *                           {@code <issuer>/.well-known/openid-configuration}
 * @param roleClaim          the claim holding groups or roles (a string or an array of strings); a dotted path
 *                           ({@code realm_access.roles}) reaches into objects when no claim has the whole name
 * @param roleMap            which claim value gives which role
 * @param identityClaim      the claim naming the person ({@code oidc:<value>}); {@code sub} when it is absent
 * @param allowHttp          whether the issuer and key set may be fetched over plain http (tests, a local issuer)
 * @param jwksRefreshMinimum the shortest time between two fetches of the key set after the first pair, however many
 *                           tokens with an unknown key id arrive
 */
public record OidcSettings(String issuer, String audience, URI jwksUrl, String roleClaim, RoleMap roleMap,
                           String identityClaim, boolean allowHttp, Duration jwksRefreshMinimum) {

    // before DISABLED, which the constructor checks with them
    private static final int MAX_URL_LENGTH = 2_048;
    private static final Pattern CLAIM_NAME = Pattern.compile("[A-Za-z0-9_.:/#-]{1,128}");

    public static final String DEFAULT_ROLE_CLAIM = "groups";
    public static final String DEFAULT_IDENTITY_CLAIM = "email";
    public static final Duration DEFAULT_JWKS_REFRESH_MINIMUM = Duration.ofSeconds(30);
    /** Single sign-on off. */
    public static final OidcSettings DISABLED = new OidcSettings(null, null, null, DEFAULT_ROLE_CLAIM, null,
            DEFAULT_IDENTITY_CLAIM, false, DEFAULT_JWKS_REFRESH_MINIMUM);

    public OidcSettings {
        Objects.requireNonNull(roleClaim, "roleClaim");
        Objects.requireNonNull(identityClaim, "identityClaim");
        Objects.requireNonNull(jwksRefreshMinimum, "jwksRefreshMinimum");
        if (!CLAIM_NAME.matcher(roleClaim).matches()) {
            throw new IllegalArgumentException(
                    "KEYWATCH_OIDC_ROLE_CLAIM must be a claim name (letters, digits, _ . : / # -)");
        }
        if (!CLAIM_NAME.matcher(identityClaim).matches()) {
            throw new IllegalArgumentException(
                    "KEYWATCH_OIDC_IDENTITY_CLAIM must be a claim name (letters, digits, _ . : / # -)");
        }
        if (jwksRefreshMinimum.isNegative() || jwksRefreshMinimum.isZero()) {
            throw new IllegalArgumentException("the minimum time between key set fetches must be positive");
        }
        if (issuer != null) {
            checkUrl(issuer, "KEYWATCH_OIDC_ISSUER", allowHttp);
            Env.requireText(audience, "KEYWATCH_OIDC_AUDIENCE (required with KEYWATCH_OIDC_ISSUER)");
            if (audience.length() > MAX_URL_LENGTH || !audience.strip().equals(audience)) {
                throw new IllegalArgumentException("KEYWATCH_OIDC_AUDIENCE must be at most " + MAX_URL_LENGTH
                        + " characters without surrounding whitespace");
            }
            Objects.requireNonNull(roleMap,
                    "KEYWATCH_OIDC_ROLE_MAP is required with KEYWATCH_OIDC_ISSUER (without it nobody gets a role)");
            if (jwksUrl != null) {
                checkUrl(jwksUrl.toString(), "KEYWATCH_OIDC_JWKS_URL", allowHttp);
            }
        }
    }

    /**
     * The settings from the environment. A blank value is an error, not the default; any other
     * {@code KEYWATCH_OIDC_*} variable without {@code KEYWATCH_OIDC_ISSUER} is one too (it would be silently ignored).
     */
    public static OidcSettings fromEnv(Map<String, String> variables) {
        Env env = Env.strict(variables);
        String issuer = env.text("KEYWATCH_OIDC_ISSUER", null);
        if (issuer == null) {
            variables.keySet().stream().filter(name -> name.startsWith("KEYWATCH_OIDC_")).sorted().findFirst()
                    .ifPresent(name -> {
                        throw new IllegalArgumentException(name + " is set but KEYWATCH_OIDC_ISSUER is not: "
                                + "single sign-on stays off without an issuer");
                    });
            return DISABLED;
        }
        return new OidcSettings(
                issuer,
                env.text("KEYWATCH_OIDC_AUDIENCE", null),
                env.read("KEYWATCH_OIDC_JWKS_URL", null, URI::create, "an absolute https URL"),
                env.text("KEYWATCH_OIDC_ROLE_CLAIM", DEFAULT_ROLE_CLAIM),
                env.read("KEYWATCH_OIDC_ROLE_MAP", null, RoleMap::parse,
                        "comma-separated value=role entries (role: viewer, responder or admin)"),
                env.text("KEYWATCH_OIDC_IDENTITY_CLAIM", DEFAULT_IDENTITY_CLAIM),
                env.bool("KEYWATCH_OIDC_ALLOW_HTTP", false),
                DEFAULT_JWKS_REFRESH_MINIMUM);
    }

    public boolean enabled() {
        return issuer != null;
    }

    /** The key set's address when configured; empty means discovery. */
    public Optional<URI> configuredJwksUrl() {
        return Optional.ofNullable(jwksUrl);
    }

    /** {@code <issuer>/.well-known/openid-configuration} (OpenID Connect Discovery 1.0, section 4). */
    public URI discoveryUrl() {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }

    public OidcSettings withJwksUrl(URI url) {
        return new OidcSettings(issuer, audience, url, roleClaim, roleMap, identityClaim, allowHttp,
                jwksRefreshMinimum);
    }

    public OidcSettings withJwksRefreshMinimum(Duration minimum) {
        return new OidcSettings(issuer, audience, jwksUrl, roleClaim, roleMap, identityClaim, allowHttp, minimum);
    }

    public OidcSettings withIdentityClaim(String claim) {
        return new OidcSettings(issuer, audience, jwksUrl, roleClaim, roleMap, claim, allowHttp, jwksRefreshMinimum);
    }

    public OidcSettings withRoleClaim(String claim) {
        return new OidcSettings(issuer, audience, jwksUrl, claim, roleMap, identityClaim, allowHttp,
                jwksRefreshMinimum);
    }

    /**
     * An absolute https URL (http only when allowed) without user info, query or fragment: the issuer is compared
     * exactly, and a key set fetched over plain http could be swapped by anyone on the path.
     */
    static void checkUrl(String value, String name, boolean allowHttp) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be an absolute https URL", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean schemeOk = scheme.equals("https") || allowHttp && scheme.equals("http");
        if (value.length() > MAX_URL_LENGTH || !schemeOk || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must be an absolute https URL (at most " + MAX_URL_LENGTH
                    + " characters, no user info, query or fragment; http only with KEYWATCH_OIDC_ALLOW_HTTP=true)");
        }
    }

    @Override
    public String toString() {
        if (!enabled()) {
            return "OidcSettings[off]";
        }
        return "OidcSettings[issuer=" + issuer + ", audience=" + audience + ", jwks="
                + (jwksUrl == null ? "discovered" : jwksUrl) + ", roleClaim=" + roleClaim + ", roleMap=" + roleMap
                + ", identityClaim=" + identityClaim + ", allowHttp=" + allowHttp + "]";
    }
}
