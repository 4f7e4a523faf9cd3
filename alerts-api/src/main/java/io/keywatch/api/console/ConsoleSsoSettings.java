package io.keywatch.api.console;

import io.keywatch.events.Env;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console's single sign-on client ({@code KEYWATCH_OIDC_CONSOLE_*}): the public client id the console presents to
 * the issuer of {@code KEYWATCH_OIDC_ISSUER} in an Authorization Code flow with PKCE, and the scopes it asks for. No
 * client secret: the console runs in a browser, where nothing stays secret.
 *
 * @param clientId the console's client id at the identity provider; null means no "Sign in with SSO" button
 * @param scopes   the {@code scope} of the authorization request, space-separated
 */
public record ConsoleSsoSettings(String clientId, String scopes) {

    public static final String DEFAULT_SCOPES = "openid profile email";

    static final int MAX_CLIENT_ID_CHARS = 256;
    static final int MAX_SCOPES_CHARS = 1_024;
    // RFC 6749 appendix A.1 (VSCHAR), without the space: a client id is one word everywhere in practice
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x21-\\x7E]{1," + MAX_CLIENT_ID_CHARS + "}");
    // RFC 6749 section 3.3: scope-tokens of NQCHAR separated by single spaces
    private static final Pattern SCOPES = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*");

    // after the patterns, which the constructor uses
    /** No SSO sign-in in the console (a pasted SSO access token still works). */
    public static final ConsoleSsoSettings DISABLED = new ConsoleSsoSettings(null, DEFAULT_SCOPES);

    public ConsoleSsoSettings {
        if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("KEYWATCH_OIDC_CONSOLE_CLIENT_ID must be 1 to " + MAX_CLIENT_ID_CHARS
                    + " printable ASCII characters without spaces");
        }
        if (scopes == null || scopes.length() > MAX_SCOPES_CHARS || !SCOPES.matcher(scopes).matches()) {
            throw new IllegalArgumentException("KEYWATCH_OIDC_CONSOLE_SCOPES must be scope names (printable ASCII, "
                    + "no quote or backslash) separated by single spaces, at most " + MAX_SCOPES_CHARS
                    + " characters");
        }
    }

    /**
     * The settings from the environment; a blank value is an error. Scopes without a client id are one too (they
     * would be silently ignored). Without {@code KEYWATCH_OIDC_ISSUER} these are off, and
     * {@link io.keywatch.api.auth.oidc.OidcSettings#fromEnv} refuses them.
     */
    public static ConsoleSsoSettings fromEnv(Map<String, String> variables) {
        Env env = Env.strict(variables);
        String clientId = env.text("KEYWATCH_OIDC_CONSOLE_CLIENT_ID", null);
        String scopes = env.text("KEYWATCH_OIDC_CONSOLE_SCOPES", null);
        if (clientId == null) {
            if (scopes != null) {
                throw new IllegalArgumentException("KEYWATCH_OIDC_CONSOLE_SCOPES is set but "
                        + "KEYWATCH_OIDC_CONSOLE_CLIENT_ID is not: the console has no SSO sign-in without a client id");
            }
            return DISABLED;
        }
        return new ConsoleSsoSettings(clientId, scopes == null ? DEFAULT_SCOPES : scopes);
    }

    public boolean enabled() {
        return clientId != null;
    }
}
