package io.keywatch.api.auth.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import io.keywatch.events.SafeText;
import java.io.IOException;
import java.net.URI;
import java.net.URL;

/**
 * The issuer's key set at the {@code jwks_uri} its discovery document names, looked up on first use (so keywatch
 * starts while the issuer is away) and then kept. Wrapped by Nimbus' cache and rate limiter like any key set
 * source, so a failing discovery is retried no more often than a failing key set fetch.
 */
final class DiscoveredJwksSource implements JWKSetSource<SecurityContext> {

    private final OidcSettings settings;
    private final ResourceRetriever retriever;
    private final ObjectMapper json = new ObjectMapper();
    private volatile URLBasedJWKSetSource<SecurityContext> keys;

    DiscoveredJwksSource(OidcSettings settings, ResourceRetriever retriever) {
        this.settings = settings;
        this.retriever = retriever;
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime, SecurityContext context)
            throws KeySourceException {
        URLBasedJWKSetSource<SecurityContext> source = keys;
        if (source == null) {
            source = discover();
            keys = source;
        }
        return source.getJWKSet(refreshEvaluator, currentTime, context);
    }

    private URLBasedJWKSetSource<SecurityContext> discover() throws KeySourceException {
        URI discovery = settings.discoveryUrl();
        JsonNode document;
        try {
            document = json.readTree(retriever.retrieveResource(discovery.toURL()).getContent());
        } catch (IOException | RuntimeException e) {
            throw new KeySourceException("could not read the discovery document " + discovery + ": "
                    + SafeText.describe(e, 200), e);
        }
        // OpenID Connect Discovery 1.0, section 4.3: the document must name the very issuer it was fetched for
        JsonNode issuer = document == null ? null : document.get("issuer");
        if (issuer == null || !settings.issuer().equals(issuer.asText())) {
            throw new KeySourceException("the discovery document " + discovery + " names another issuer: "
                    + SafeText.quote(issuer == null ? "none" : issuer.asText()));
        }
        JsonNode jwksUri = document.get("jwks_uri");
        if (jwksUri == null || !jwksUri.isTextual()) {
            throw new KeySourceException("the discovery document " + discovery + " has no jwks_uri");
        }
        try {
            OidcSettings.checkUrl(jwksUri.asText(), "jwks_uri", settings.allowHttp());
            URL url = URI.create(jwksUri.asText()).toURL();
            return new URLBasedJWKSetSource<>(url, retriever);
        } catch (IllegalArgumentException | IOException e) {
            throw new KeySourceException("the discovery document " + discovery + " has an unusable jwks_uri "
                    + SafeText.quote(jwksUri.asText()) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        URLBasedJWKSetSource<SecurityContext> source = keys;
        if (source != null) {
            source.close();
        }
    }
}
