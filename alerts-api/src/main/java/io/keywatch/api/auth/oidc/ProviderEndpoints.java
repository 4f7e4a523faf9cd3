package io.keywatch.api.auth.oidc;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a browser signs a person in at the issuer and where it trades the code for tokens (OpenID Connect Discovery
 * 1.0, section 3: {@code authorization_endpoint}, {@code token_endpoint}).
 */
public record ProviderEndpoints(URI authorization, URI token) {

    public ProviderEndpoints {
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(token, "token");
    }

    /**
     * {@code scheme://host[:port]} of the token endpoint, in lower case (as browsers serialise an origin): what the
     * console's Content-Security-Policy must allow.
     */
    public String tokenOrigin() {
        return (token.getScheme() + "://" + token.getRawAuthority()).toLowerCase(Locale.ROOT);
    }
}
