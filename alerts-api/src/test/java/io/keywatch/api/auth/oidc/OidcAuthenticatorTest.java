package io.keywatch.api.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.auth.Role;
import io.keywatch.api.support.TestIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Bearer JWTs against a test issuer's real key set over HTTP: what is accepted, and everything that is not. */
class OidcAuthenticatorTest {

    private static TestIssuer issuer;
    private static TestIssuer otherIssuer;

    @BeforeAll
    static void startIssuers() {
        issuer = TestIssuer.start();
        otherIssuer = TestIssuer.start();
    }

    @AfterAll
    static void stopIssuers() {
        issuer.close();
        otherIssuer.close();
    }

    private static OidcAuthenticator authenticator(OidcSettings settings) {
        return new OidcAuthenticator(settings, OidcAuthenticator.keySource(settings), Clock.systemUTC());
    }

    private final OidcAuthenticator auth = authenticator(issuer.settings());

    private static Instant now() {
        return Instant.now();
    }

    @Test
    void aValidTokenGivesTheMappedRoleAndTheEmailAsIdentity() {
        Optional<Principal> principal = auth.authenticate(issuer.token("alice@example.com", TestIssuer.VIEWERS));

        assertThat(principal).map(p -> new Principal(p.identity(), p.role(), p.method()))
                .contains(new Principal("oidc:alice@example.com", Role.VIEWER, "jwt"));
        // the token's exp: when the alert stream of this principal ends
        assertThat(principal.orElseThrow().expiresAt()).isNotNull();
    }

    @Test
    void anEs256TokenIsAcceptedToo() {
        assertThat(auth.authenticate(issuer.signEc(issuer.claims("bob@example.com", TestIssuer.RESPONDERS).build())))
                .map(Principal::role).contains(Role.RESPONDER);
    }

    @Test
    void theHighestMappedRoleWinsAndUnknownGroupsAreIgnored() {
        String token = issuer.token("carol@example.com", "staff", TestIssuer.VIEWERS, TestIssuer.ADMINS,
                TestIssuer.RESPONDERS);

        assertThat(auth.authenticate(token)).map(Principal::role).contains(Role.ADMIN);
    }

    @Test
    void aRoleClaimMayBeOneStringOrANestedPath() {
        String single = issuer.sign(issuer.claims("dan@example.com").claim("groups", TestIssuer.RESPONDERS).build());
        assertThat(auth.authenticate(single)).map(Principal::role).contains(Role.RESPONDER);

        OidcAuthenticator keycloakStyle = authenticator(issuer.settings().withRoleClaim("realm_access.roles"));
        String nested = issuer.sign(issuer.claims("dan@example.com")
                .claim("realm_access", Map.of("roles", List.of(TestIssuer.ADMINS))).build());
        assertThat(keycloakStyle.authenticate(nested)).map(Principal::role).contains(Role.ADMIN);
    }

    @Test
    void noRoleClaimOrNoMappedValueIsNotAuthenticated() {
        assertThat(auth.authenticate(issuer.sign(issuer.claims("eve@example.com").claim("groups", null).build())))
                .isEmpty();
        assertThat(auth.authenticate(issuer.token("eve@example.com", "staff", "KW-ADMINS"))).isEmpty();
        assertThat(auth.authenticate(issuer.sign(issuer.claims("eve@example.com")
                .claim("groups", List.of(1, true, Map.of("x", TestIssuer.ADMINS))).build()))).isEmpty();
    }

    @Test
    void theIdentityFallsBackToSubAndIsCheckedLikeAnActorName() {
        JWTClaimsSet noEmail = issuer.claims("x@example.com", TestIssuer.VIEWERS).claim("email", null)
                .subject("248289761001").build();
        assertThat(auth.authenticate(issuer.sign(noEmail))).map(Principal::identity).contains("oidc:248289761001");

        JWTClaimsSet unverified = issuer.claims("ciso@example.com", TestIssuer.VIEWERS)
                .claim("email_verified", false).subject("u-1").build();
        assertThat(auth.authenticate(issuer.sign(unverified))).map(Principal::identity).contains("oidc:u-1");

        assertThat(auth.authenticate(issuer.token("Frank.Miller@Example.COM", TestIssuer.VIEWERS)))
                .map(Principal::identity).contains("oidc:frank.miller@example.com");

        assertThat(auth.authenticate(issuer.token("bad name@example.com", TestIssuer.ADMINS))).isEmpty();
        assertThat(auth.authenticate(issuer.token("a\u202eb@example.com", TestIssuer.ADMINS))).isEmpty();
        assertThat(auth.authenticate(issuer.token("x".repeat(60) + "@example.com", TestIssuer.ADMINS))).isEmpty();
    }

    @Test
    void aTokenOfAnotherIssuerIsRefused() {
        // signed by the other issuer with its own keys
        assertThat(auth.authenticate(otherIssuer.token("mallory@example.com", TestIssuer.ADMINS))).isEmpty();
        // signed with our key but naming another issuer
        assertThat(auth.authenticate(issuer.sign(issuer.claims("mallory@example.com", TestIssuer.ADMINS)
                .issuer(otherIssuer.issuer()).build()))).isEmpty();
        // our issuer's claims, signed with the other issuer's key under our key id
        assertThat(auth.authenticate(TestIssuer.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.rsaKey().getKeyID()).build(),
                issuer.claims("mallory@example.com", TestIssuer.ADMINS).build(),
                TestIssuer.rsaSigner(otherIssuer.rsaKey())))).isEmpty();
    }

    @Test
    void theAudienceMustContainKeywatch() {
        assertThat(auth.authenticate(issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                .audience("another-app").build()))).isEmpty();
        assertThat(auth.authenticate(issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                .audience((String) null).build()))).isEmpty();
        assertThat(auth.authenticate(issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                .audience(List.of("another-app", TestIssuer.AUDIENCE)).build()))).isPresent();
    }

    @Test
    void expiryIsRequiredAndRespectedWithSixtySecondsOfSkew() {
        assertThat(auth.authenticate(issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                .expirationTime(Date.from(now().minusSeconds(120))).build()))).isEmpty();
        assertThat(auth.authenticate(issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                .expirationTime(null).build()))).isEmpty();
        assertThat(auth.authenticate(issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                .expirationTime(Date.from(now().minusSeconds(20))).build()))).isPresent();
    }

    @Test
    void aTokenNotYetValidOrIssuedInTheFutureIsRefused() {
        assertThat(auth.authenticate(issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                .notBeforeTime(Date.from(now().plusSeconds(300))).build()))).isEmpty();
        assertThat(auth.authenticate(issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                .issueTime(Date.from(now().plusSeconds(300))).build()))).isEmpty();
        assertThat(auth.authenticate(issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                .notBeforeTime(Date.from(now().plusSeconds(20))).issueTime(Date.from(now().plusSeconds(20)))
                .build()))).isPresent();
    }

    @Test
    void anUnsignedTokenIsRefused() {
        Base64URL header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        Base64URL payload = Base64URL.encode(issuer.claims("a@example.com", TestIssuer.ADMINS).build().toString());

        assertThat(auth.authenticate(header + "." + payload + ".")).isEmpty();
        assertThat(auth.authenticate(Base64URL.encode("{\"alg\":\"NONE\"}") + "." + payload + ".")).isEmpty();
    }

    @Test
    void anHmacSignedWithTheIssuersPublicKeyIsRefused() throws Exception {
        RSAKey rsa = issuer.rsaKey();
        JWTClaimsSet claims = issuer.claims("a@example.com", TestIssuer.ADMINS).build();
        for (byte[] secret : List.of(rsa.toRSAPublicKey().getEncoded(),
                rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))) {
            String forged = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).build(),
                    claims, new MACSigner(secret));
            assertThat(auth.authenticate(forged)).isEmpty();
        }
    }

    @Test
    void hmacIsRefusedEvenWhenTheKeySetPublishesASymmetricKey() throws Exception {
        try (TestIssuer careless = TestIssuer.start()) {
            OctetSequenceKey shared = new OctetSequenceKeyGenerator(256).keyID("oct-1").generate();
            careless.publish(careless.rsaKey(), shared);
            String hmac = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("oct-1").build(),
                    careless.claims("a@example.com", TestIssuer.ADMINS).build(), new MACSigner(shared));

            assertThat(authenticator(careless.settings()).authenticate(hmac)).isEmpty();
        }
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String token = issuer.token("a@example.com", TestIssuer.VIEWERS);
        String[] parts = token.split("\\.");
        String promoted = Base64URL.encode(issuer.claims("a@example.com", TestIssuer.ADMINS).build().toString())
                .toString();

        assertThat(auth.authenticate(parts[0] + "." + promoted + "." + parts[2])).isEmpty();
        assertThat(auth.authenticate(parts[0] + "." + parts[1] + "." + parts[2].substring(1) + "A")).isEmpty();
    }

    @Test
    void anOversizedTokenIsRefusedBeforeItIsVerified() {
        String padded = issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                .claim("padding", "x".repeat(OidcAuthenticator.MAX_TOKEN_CHARS)).build());

        assertThat(padded.length()).isGreaterThan(OidcAuthenticator.MAX_TOKEN_CHARS);
        assertThat(auth.authenticate(padded)).isEmpty();
    }

    @Test
    void anAccessTokenTypeIsAcceptedAndAnUnrelatedTypeIsNot() {
        JWTClaimsSet claims = issuer.claims("a@example.com", TestIssuer.VIEWERS).build();
        String accessToken = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.rsaKey().getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims, TestIssuer.rsaSigner(issuer.rsaKey()));
        String logoutToken = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.rsaKey().getKeyID())
                .type(new JOSEObjectType("logout+jwt")).build(), claims, TestIssuer.rsaSigner(issuer.rsaKey()));

        assertThat(auth.authenticate(accessToken)).isPresent();
        assertThat(auth.authenticate(logoutToken)).isEmpty();
    }

    @Test
    void whatIsNotAJwtIsLeftToTheOtherAuthenticatorsWithoutFetchingKeys() {
        OidcAuthenticator fresh = authenticator(issuer.settings());
        int fetches = issuer.jwksFetches() + issuer.discoveryFetches();

        for (String credential : List.of("kw_live_0123456789abcdef", "a.b", "a.b.c.d", "a.b.c.d.e", "..",
                "x.y.z", "....", "eyJ.eyJ.", "\u0000.\u0000.\u0000")) {
            assertThat(fresh.authenticate(credential)).as(credential).isEmpty();
        }
        assertThat(OidcAuthenticator.isCompactJws("a.b")).isFalse();
        assertThat(OidcAuthenticator.isCompactJws("a.b.c.d.e")).isFalse();
        assertThat(OidcAuthenticator.isCompactJws("a.b.c")).isTrue();
        // only the three-part candidates could have needed keys; none of these even parses as a JWS
        assertThat(issuer.jwksFetches() + issuer.discoveryFetches()).isEqualTo(fetches);
    }

    @Test
    void anUnknownKeyIdIsRefused() {
        RSAKey stranger = TestIssuer.newRsaKey();
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(stranger.getKeyID()).build(),
                issuer.claims("a@example.com", TestIssuer.ADMINS).build(), TestIssuer.rsaSigner(stranger));

        assertThat(auth.authenticate(token)).isEmpty();
    }

    @Test
    void aRotatedKeyIsPickedUpByRefreshingTheKeySet() {
        try (TestIssuer rotating = TestIssuer.start()) {
            OidcAuthenticator fresh = authenticator(rotating.settings());
            assertThat(fresh.authenticate(rotating.token("a@example.com", TestIssuer.VIEWERS))).isPresent();
            int fetches = rotating.jwksFetches();

            rotating.rotate();

            assertThat(fresh.authenticate(rotating.token("a@example.com", TestIssuer.VIEWERS))).isPresent();
            assertThat(rotating.jwksFetches()).isEqualTo(fetches + 1);
        }
    }

    @Test
    void tokensWithUnknownKeyIdsFetchTheKeySetAtMostTwicePerInterval() {
        try (TestIssuer flooded = TestIssuer.start()) {
            OidcAuthenticator fresh = authenticator(flooded.settings());
            for (int i = 0; i < 50; i++) {
                RSAKey stranger = TestIssuer.newRsaKey();
                String token = TestIssuer.sign(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("kid-" + UUID.randomUUID()).build(),
                        flooded.claims("a@example.com", TestIssuer.ADMINS).build(), TestIssuer.rsaSigner(stranger));
                assertThat(fresh.authenticate(token)).isEmpty();
            }
            assertThat(flooded.jwksFetches()).isBetween(1, 2);
            assertThat(flooded.discoveryFetches()).isEqualTo(1);
        }
    }

    @Test
    void keysMayComeFromAConfiguredUrlInsteadOfDiscovery() {
        try (TestIssuer direct = TestIssuer.start()) {
            OidcAuthenticator fresh = authenticator(direct.settings().withJwksUrl(direct.jwksUrl()));

            assertThat(fresh.authenticate(direct.token("a@example.com", TestIssuer.VIEWERS))).isPresent();
            assertThat(direct.discoveryFetches()).isZero();
        }
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsNotTrusted() {
        try (TestIssuer lying = TestIssuer.start()) {
            lying.discoveryNames("https://evil.example");
            OidcAuthenticator fresh = authenticator(lying.settings());

            assertThat(fresh.authenticate(lying.token("a@example.com", TestIssuer.ADMINS))).isEmpty();
            assertThat(lying.jwksFetches()).isZero();
        }
    }

    @Test
    void anUnreachableIssuerRefusesTokensWithoutThrowing() {
        TestIssuer gone = TestIssuer.start();
        OidcSettings settings = gone.settings();
        String token = gone.token("a@example.com", TestIssuer.ADMINS);
        gone.close();

        long started = System.nanoTime();
        assertThat(authenticator(settings).authenticate(token)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void refusalsAreLoggedAtDebugWithoutTheToken() {
        Logger logger = (Logger) LoggerFactory.getLogger(OidcAuthenticator.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logger.addAppender(appender);
        try {
            String expired = issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                    .expirationTime(Date.from(now().minusSeconds(600))).build());
            String wrongAudience = issuer.sign(issuer.claims("a@example.com", TestIssuer.ADMINS)
                    .audience("evil\n[INFO] forged log line").build());
            for (String token : List.of(expired, wrongAudience, otherIssuer.token("a@example.com", "x"))) {
                assertThat(auth.authenticate(token)).isEmpty();
            }

            assertThat(appender.list).hasSize(3).allSatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
                assertThat(event.getFormattedMessage()).doesNotContain("\n")
                        .doesNotContain(expired.split("\\.")[2]).doesNotContain(expired.split("\\.")[1])
                        .doesNotContain(wrongAudience.split("\\.")[2]);
            });
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
    }

    @Test
    void itIsOffWithoutAnIssuer() {
        assertThat(OidcAuthenticator.fromSettings(OidcSettings.DISABLED, Clock.systemUTC())
                .authenticate(issuer.token("a@example.com", TestIssuer.ADMINS))).isEmpty();
        assertThat(OidcAuthenticator.fromSettings(issuer.settings(), Clock.systemUTC())
                .authenticate(issuer.token("a@example.com", TestIssuer.ADMINS))).isPresent();
        assertThat(URI.create(issuer.issuer()).getPort()).isPositive();
    }
}
