package io.keywatch.api.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.keywatch.api.auth.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Bearer credentials are the attacker's: any string is refused without an exception (no signature can be forged),
 * and any claims the issuer signs give either nothing or a principal whose identity is a valid actor name and whose
 * role the role map gives. Keys in memory and a fixed clock, so that {@code mvn verify} replays the committed inputs
 * ({@code src/test/resources/io/keywatch/api/auth/oidc/OidcAuthenticatorFuzzTestInputs}) the same way every time.
 */
class OidcAuthenticatorFuzzTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final String ISSUER = "https://issuer.example/realms/test";
    private static final String AUDIENCE = "keywatch";
    private static final ECKey KEY = newKey();
    private static final OidcSettings SETTINGS = new OidcSettings(ISSUER, AUDIENCE, null, "groups",
            RoleMap.parse("admins=admin,oncall=responder,readers=viewer"), "email", false,
            OidcSettings.DEFAULT_JWKS_REFRESH_MINIMUM);
    private static final OidcAuthenticator AUTH = new OidcAuthenticator(SETTINGS,
            new ImmutableJWKSet<>(new JWKSet(KEY.toPublicJWK())), Clock.fixed(NOW, ZoneOffset.UTC));

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("fuzz-key").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void anyCredentialIsRefusedWithoutThrowing(byte[] input) {
        String credential = new String(input, StandardCharsets.UTF_8);

        assertThat(AUTH.authenticate(credential)).isEmpty();
    }

    /** Claims built from fuzzed values, really signed by the issuer's key. */
    @FuzzTest
    void signedFuzzedClaimsGiveAValidPrincipalOrNone(FuzzedDataProvider data) throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(data.consumeBoolean() ? ISSUER : data.consumeString(80))
                .audience(data.consumeBoolean() ? List.of(AUDIENCE) : List.of(data.consumeString(40)))
                .subject(data.consumeBoolean() ? data.consumeString(100) : null)
                .expirationTime(data.consumeBoolean() ? at(data.consumeLong(-600, 600)) : null)
                .notBeforeTime(data.consumeBoolean() ? at(data.consumeLong(-600, 600)) : null)
                .issueTime(data.consumeBoolean() ? at(data.consumeLong(-600, 600)) : null)
                .claim("email", data.consumeBoolean() ? data.consumeString(100) : null)
                .claim("email_verified", data.consumeBoolean() ? data.consumeBoolean() : null);
        List<Object> groups = new ArrayList<>();
        int count = data.consumeInt(0, 5);
        for (int i = 0; i < count; i++) {
            groups.add(data.consumeBoolean() ? pick(data) : data.consumeInt());
        }
        claims.claim("groups", data.consumeBoolean() ? groups : pick(data));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(KEY.getKeyID()).build(),
                claims.build());
        jwt.sign(new ECDSASigner(KEY));

        Optional<Principal> principal = AUTH.authenticate(jwt.serialize());

        principal.ifPresent(p -> {
            assertThat(p.identity()).startsWith("oidc:").matches("[A-Za-z0-9._@:+-]{1,64}");
            assertThat(p.method()).isEqualTo("jwt");
            JWTClaimsSet sent = claims.build();
            assertThat(sent.getIssuer()).isEqualTo(ISSUER);
            assertThat(sent.getAudience()).contains(AUDIENCE);
            assertThat(sent.getExpirationTime()).isAfter(Date.from(NOW.minusSeconds(61)));
            assertThat(sent.getSubject()).isNotNull();
        });
    }

    private static String pick(FuzzedDataProvider data) {
        return data.consumeBoolean() ? data.pickValue(List.of("admins", "oncall", "readers")) : data.consumeString(30);
    }

    private static Date at(long secondsFromNow) {
        return Date.from(NOW.plusSeconds(secondsFromNow));
    }
}
