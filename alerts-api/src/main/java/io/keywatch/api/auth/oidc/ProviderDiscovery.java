package io.keywatch.api.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import io.keywatch.events.SafeText;
import java.io.IOException;
import java.net.URI;

/**
 * Reads the browser-facing endpoints from the issuer's discovery document ({@code <issuer>/.well-known/openid-
 * configuration}), with the same bounds as the key set fetch: timeouts, a size limit, https unless
 * {@code KEYWATCH_OIDC_ALLOW_HTTP}, and the document must name the very issuer it was fetched for.
 */
public final class ProviderDiscovery {

    private final OidcSettings settings;
    private final ResourceRetriever retriever;
    private final ObjectMapper json = new ObjectMapper();

    ProviderDiscovery(OidcSettings settings, ResourceRetriever retriever) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("single sign-on is off: no issuer to discover");
        }
        this.settings = settings;
        this.retriever = retriever;
    }

    /** Discovery with the key set fetch's timeouts and size limit. */
    public static ProviderDiscovery fromSettings(OidcSettings settings) {
        return new ProviderDiscovery(settings, new DefaultResourceRetriever(
                (int) OidcAuthenticator.JWKS_CONNECT_TIMEOUT.toMillis(),
                (int) OidcAuthenticator.JWKS_READ_TIMEOUT.toMillis(), OidcAuthenticator.JWKS_SIZE_LIMIT_BYTES));
    }

    /**
     * Fetches the document now.
     *
     * @throws DiscoveryException with a message fit to show (it names the document's address, never a secret)
     */
    public ProviderEndpoints endpoints() throws DiscoveryException {
        URI discovery = settings.discoveryUrl();
        JsonNode document;
        try {
            document = json.readTree(retriever.retrieveResource(discovery.toURL()).getContent());
        } catch (IOException | RuntimeException e) {
            throw new DiscoveryException("could not read the discovery document " + discovery + ": "
                    + SafeText.describe(e, 200), e);
        }
        if (document == null || !document.isObject()) {
            throw new DiscoveryException("the discovery document " + discovery + " is not a JSON object", null);
        }
        JsonNode issuer = document.get("issuer");
        if (issuer == null || !settings.issuer().equals(issuer.asText())) {
            throw new DiscoveryException("the discovery document " + discovery + " names another issuer: "
                    + SafeText.quote(issuer == null ? "none" : issuer.asText()), null);
        }
        return new ProviderEndpoints(endpoint(document, "authorization_endpoint", discovery),
                endpoint(document, "token_endpoint", discovery));
    }

    private URI endpoint(JsonNode document, String field, URI discovery) throws DiscoveryException {
        JsonNode value = document.get(field);
        if (value == null || !value.isTextual()) {
            throw new DiscoveryException("the discovery document " + discovery + " has no " + field, null);
        }
        try {
            OidcSettings.checkUrl(value.asText(), field, settings.allowHttp());
            return URI.create(value.asText());
        } catch (IllegalArgumentException e) {
            throw new DiscoveryException("the discovery document " + discovery + " has an unusable " + field + " "
                    + SafeText.quote(value.asText()) + ": " + e.getMessage(), e);
        }
    }

    /** The issuer's discovery document could not be read or lacks what a browser sign-in needs. */
    public static final class DiscoveryException extends Exception {
        DiscoveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
