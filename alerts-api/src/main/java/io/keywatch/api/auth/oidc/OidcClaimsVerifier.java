package io.keywatch.api.auth.oidc;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Set;

/**
 * Nimbus' claims checks on keywatch's clock: {@code iss} exactly the issuer, {@code aud} containing the audience,
 * {@code exp} required and {@code nbf} respected (both within the clock skew), plus what Nimbus leaves out: a token
 * issued in the future ({@code iat} beyond the skew) is refused too.
 */
final class OidcClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {

    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final Clock clock;

    OidcClaimsVerifier(String issuer, String audience, Clock clock) {
        super(Set.of(audience), new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("iss", "aud", "exp", "sub"),
                null);
        setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        this.clock = clock;
    }

    @Override
    protected Date currentTime() {
        return Date.from(clock.instant());
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
        super.verify(claims, context);
        Date issuedAt = claims.getIssueTime();
        if (issuedAt != null && issuedAt.toInstant().isAfter(clock.instant().plus(CLOCK_SKEW))) {
            throw new BadJWTException("JWT issued in the future (iat beyond the clock skew)");
        }
    }
}
