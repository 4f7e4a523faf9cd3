package io.keywatch.api.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.keywatch.api.auth.oidc.OidcSettings;
import io.keywatch.api.auth.oidc.RoleMap;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OIDC issuer for tests: RSA and EC signing keys made on the spot, its discovery document and key set served by
 * a JDK HttpServer on an ephemeral loopback port, and JWTs minted and signed with Nimbus. Start two to get "a JWT from
 * another issuer": same shape, other {@code iss}, other keys.
 *
 * <pre>{@code
 * try (TestIssuer issuer = TestIssuer.start()) {
 *     ApiSettings settings = TestServices.settings(postgres, kafka).withOidc(issuer.settings());
 *     String viewer = issuer.token("alice@example.com", TestIssuer.VIEWERS);
 * }
 * }</pre>
 */
public final class TestIssuer implements AutoCloseable {

    public static final String AUDIENCE = "keywatch-test";
    public static final String ADMINS = "kw-admins";
    public static final String RESPONDERS = "kw-oncall";
    public static final String VIEWERS = "kw-readers";
    public static final String ROLE_MAP = ADMINS + "=admin," + RESPONDERS + "=responder," + VIEWERS + "=viewer";

    private final HttpServer server;
    private final String issuer;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger discoveryFetches = new AtomicInteger();
    private volatile RSAKey rsa;
    private volatile ECKey ec;
    private volatile JWKSet published;
    private volatile String discoveryIssuer;
    private final Map<String, String> advertised = new ConcurrentSkipListMap<>();

    private TestIssuer(HttpServer server) {
        this.server = server;
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
        this.discoveryIssuer = issuer;
        this.rsa = newRsaKey();
        this.ec = newEcKey();
        this.published = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()));
    }

    /** An issuer serving {@code <issuer>/.well-known/openid-configuration} and {@code <issuer>/jwks}. */
    public static TestIssuer start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestIssuer testIssuer = new TestIssuer(server);
        server.createContext("/realms/test/.well-known/openid-configuration", testIssuer::discovery);
        server.createContext("/realms/test/jwks", testIssuer::jwks);
        server.start();
        return testIssuer;
    }

    /** The {@code iss} of its tokens. */
    public String issuer() {
        return issuer;
    }

    public URI jwksUrl() {
        return URI.create(issuer + "/jwks");
    }

    /**
     * Settings that trust this issuer: keys found through discovery, {@link #ROLE_MAP} on {@code groups}, identity
     * from {@code email}, plain http allowed (loopback).
     */
    public OidcSettings settings() {
        return new OidcSettings(issuer, AUDIENCE, null, OidcSettings.DEFAULT_ROLE_CLAIM, RoleMap.parse(ROLE_MAP),
                OidcSettings.DEFAULT_IDENTITY_CLAIM, true, OidcSettings.DEFAULT_JWKS_REFRESH_MINIMUM);
    }

    /** A valid RS256 token for {@code email} in {@code groups}, for five minutes. */
    public String token(String email, String... groups) {
        return sign(claims(email, groups).build());
    }

    /** Valid claims: iss, aud, sub, email (verified), groups, iat now, exp in five minutes. */
    public JWTClaimsSet.Builder claims(String email, String... groups) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject("sub-" + UUID.nameUUIDFromBytes(email.getBytes(StandardCharsets.UTF_8)))
                .claim("email", email)
                .claim("email_verified", true)
                .claim("groups", List.of(groups))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString());
    }

    /** Signed RS256 with the current RSA key, its kid in the header. */
    public String sign(JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(rsa.getKeyID()).build(),
                claims, rsaSigner(rsa));
    }

    /** Signed ES256 with the EC key. */
    public String signEc(JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(), claims,
                    new ECDSASigner(ec));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any header, any signer: for tokens keywatch must refuse. */
    public static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public static RSASSASigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The current RSA key pair (private part included). */
    public RSAKey rsaKey() {
        return rsa;
    }

    /**
     * Key rotation: a new RSA key signs from now on and the key set publishes it beside the EC key; the old RSA key
     * is no longer published.
     */
    public RSAKey rotate() {
        rsa = newRsaKey();
        published = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()));
        return rsa;
    }

    /** Publishes exactly these keys: the public parts of key pairs, a symmetric key as it is (a careless issuer). */
    public void publish(JWK... keys) {
        published = new JWKSet(List.of(keys).stream().map(k -> k instanceof OctetSequenceKey ? k : k.toPublicJWK())
                .toList());
    }

    /** Makes the discovery document name another issuer than the one it is served for. */
    public void discoveryNames(String otherIssuer) {
        discoveryIssuer = otherIssuer;
    }

    /** Serves {@code handler} at {@code <issuer><path>} (a test identity provider's endpoints); returns its URL. */
    public URI serve(String path, HttpHandler handler) {
        server.createContext("/realms/test" + path, handler);
        return URI.create(issuer + path);
    }

    /** Adds a string field to the discovery document ({@code authorization_endpoint}, {@code token_endpoint}...). */
    public void advertise(String field, String value) {
        advertised.put(field, value);
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    public int discoveryFetches() {
        return discoveryFetches.get();
    }

    public static RSAKey newRsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey newEcKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        discoveryFetches.incrementAndGet();
        StringBuilder extra = new StringBuilder();
        advertised.forEach((field, value) -> extra.append(",\"").append(field).append("\":\"").append(value)
                .append('"'));
        respond(exchange, "{\"issuer\":\"" + discoveryIssuer + "\",\"jwks_uri\":\"" + jwksUrl() + "\"" + extra
                + "}");
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksFetches.incrementAndGet();
        // only public parts were put in the set (and a symmetric key published on purpose)
        respond(exchange, published.toString(false));
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
