package io.keywatch.api.auth.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.keywatch.api.auth.Authenticator;
import io.keywatch.api.auth.Principal;
import io.keywatch.events.SafeText;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single sign-on: a bearer JWT signed by the configured OIDC issuer proves an {@code oidc:<email or sub>} identity
 * with the role its groups map to ({@link OidcSettings}). A credential that is not a compact JWS (header.payload.
 * signature) is not this authenticator's; an invalid one is refused with a debug-level reason that never contains
 * the token.
 *
 * <p>Only asymmetric signatures are accepted (RSA, RSA-PSS, ECDSA), so neither {@code alg: none} nor an HMAC "signed"
 * with the issuer's public key can pass. The key set is fetched with timeouts and a size limit, cached for five
 * minutes, and fetched again on an unknown key id, at most twice per {@link OidcSettings#jwksRefreshMinimum()}.
 */
public final class OidcAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(OidcAuthenticator.class);

    /** Larger than the tokens of users in many groups; a longer credential is refused before it is parsed. */
    public static final int MAX_TOKEN_CHARS = 8_192;
    static final Set<JWSAlgorithm> ALLOWED_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    static final Duration JWKS_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration JWKS_READ_TIMEOUT = Duration.ofSeconds(3);
    static final int JWKS_SIZE_LIMIT_BYTES = 256 * 1024;
    static final Duration JWKS_CACHE_TIME = Duration.ofMinutes(5);

    /** Never authenticates anyone: single sign-on off. */
    private static final Authenticator NONE = credential -> Optional.empty();

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final OidcClaims claims;

    OidcAuthenticator(OidcSettings settings, JWKSource<SecurityContext> keys, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        if (!settings.enabled()) {
            throw new IllegalArgumentException("single sign-on is off: no issuer");
        }
        DefaultJWTProcessor<SecurityContext> jwt = new DefaultJWTProcessor<>();
        jwt.setJWSKeySelector(new JWSVerificationKeySelector<>(ALLOWED_ALGORITHMS, keys));
        // ID tokens say "JWT" or nothing; OAuth access tokens (RFC 9068) "at+jwt"
        jwt.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
                new JOSEObjectType("application/at+jwt"), null));
        jwt.setJWTClaimsSetVerifier(new OidcClaimsVerifier(settings.issuer(), settings.audience(), clock));
        this.processor = jwt;
        this.claims = new OidcClaims(settings);
    }

    /** The authenticator the settings ask for: one that never answers when single sign-on is off. */
    public static Authenticator fromSettings(OidcSettings settings, Clock clock) {
        if (!settings.enabled()) {
            return NONE;
        }
        LOG.info("Single sign-on: {}", settings);
        return new OidcAuthenticator(settings, keySource(settings), clock);
    }

    /** The issuer's keys: cached, refreshed on an unknown key id, rate limited, fetched with bounds. */
    static JWKSource<SecurityContext> keySource(OidcSettings settings) {
        DefaultResourceRetriever retriever = new DefaultResourceRetriever((int) JWKS_CONNECT_TIMEOUT.toMillis(),
                (int) JWKS_READ_TIMEOUT.toMillis(), JWKS_SIZE_LIMIT_BYTES);
        JWKSetSource<SecurityContext> source;
        if (settings.configuredJwksUrl().isPresent()) {
            try {
                source = new URLBasedJWKSetSource<>(settings.jwksUrl().toURL(), retriever);
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("KEYWATCH_OIDC_JWKS_URL is not a URL", e);
            }
        } else {
            source = new DiscoveredJwksSource(settings, retriever);
        }
        // no refresh-ahead: it would need a thread pool of its own; a fetch after five minutes is cheap enough
        return JWKSourceBuilder.create(source)
                .cache(JWKS_CACHE_TIME.toMillis(), JWKS_CONNECT_TIMEOUT.plus(JWKS_READ_TIMEOUT).toMillis())
                .refreshAheadCache(false)
                .rateLimited(settings.jwksRefreshMinimum().toMillis())
                .build();
    }

    @Override
    public Optional<Principal> authenticate(String credential) {
        if (!isCompactJws(credential)) {
            return Optional.empty();
        }
        if (credential.length() > MAX_TOKEN_CHARS) {
            return refused("the token has " + credential.length() + " characters, more than " + MAX_TOKEN_CHARS);
        }
        JWTClaimsSet verified;
        try {
            verified = processor.process(credential, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            // Nimbus' messages name claims and header values (the issuer's or an attacker's), never the token
            return refused(SafeText.describe(e, 300));
        } catch (RuntimeException e) {
            return refused("unexpected " + SafeText.describe(e, 300));
        }
        OidcClaims.Outcome outcome = claims.principal(verified);
        return outcome.principal() != null ? Optional.of(outcome.principal()) : refused(outcome.refusal());
    }

    /** Three parts separated by exactly two dots: a signed JWT. Anything else is another authenticator's. */
    static boolean isCompactJws(String credential) {
        int first = credential.indexOf('.');
        if (first < 0) {
            return false;
        }
        int second = credential.indexOf('.', first + 1);
        return second > 0 && credential.indexOf('.', second + 1) < 0;
    }

    private static Optional<Principal> refused(String reason) {
        LOG.debug("JWT refused: {}", reason);
        return Optional.empty();
    }
}
