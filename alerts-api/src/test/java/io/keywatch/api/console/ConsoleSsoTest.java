package io.keywatch.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.auth.oidc.OidcSettings;
import io.keywatch.api.auth.oidc.ProviderEndpoints;
import io.keywatch.api.auth.oidc.RoleMap;
import io.keywatch.api.support.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The public config route must not let strangers make keywatch hammer the issuer: answers and failures are kept. */
class ConsoleSsoTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T09:00:00Z"));
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean(true);
    private final ConsoleSso sso = new ConsoleSso(settings(), new ConsoleSsoSettings("keywatch-console", "openid"),
            () -> {
                asked.incrementAndGet();
                if (failing.get()) {
                    throw new IllegalStateException("issuer down");
                }
                return new ProviderEndpoints(URI.create("https://login.example.com/authorize"),
                        URI.create("https://tokens.example.com:8443/oauth/token"));
            }, clock);

    private static OidcSettings settings() {
        return new OidcSettings("https://login.example.com/realms/ops", "keywatch", null,
                OidcSettings.DEFAULT_ROLE_CLAIM, RoleMap.parse("ops=admin"), OidcSettings.DEFAULT_IDENTITY_CLAIM, false,
                OidcSettings.DEFAULT_JWKS_REFRESH_MINIMUM);
    }

    @Test
    void aFailureIsKeptForThirtySecondsThenAnAnswerForAnHour() {
        for (int i = 0; i < 100; i++) {
            assertThat(sso.state()).isInstanceOf(ConsoleSso.Unavailable.class);
        }
        assertThat(asked).hasValue(1);
        assertThat(sso.tokenOrigin()).isEmpty();

        failing.set(false);
        clock.advance(ConsoleSso.RETRY_AFTER_FAILURE);
        assertThat(sso.state()).isInstanceOf(ConsoleSso.Ready.class);
        assertThat(sso.tokenOrigin()).hasValue("https://tokens.example.com:8443");
        clock.advance(Duration.ofMinutes(59));
        sso.state();
        assertThat(asked).hasValue(2);
        clock.advance(Duration.ofMinutes(1));
        sso.state();
        assertThat(asked).hasValue(3);
    }

    @Test
    void aFailedRefreshKeepsTheEndpointsThatWorkedAndAsksAgainSoon() {
        failing.set(false);
        assertThat(sso.state()).isInstanceOf(ConsoleSso.Ready.class);
        failing.set(true);
        clock.advance(ConsoleSso.REFRESH);

        assertThat(sso.state()).isInstanceOf(ConsoleSso.Ready.class);
        assertThat(sso.tokenOrigin()).hasValue("https://tokens.example.com:8443");
        assertThat(asked).hasValue(2);
        clock.advance(ConsoleSso.RETRY_AFTER_FAILURE);
        sso.state();
        assertThat(asked).hasValue(3);
    }

    @Test
    void offAsksNobody() {
        assertThat(ConsoleSso.off().state()).isInstanceOf(ConsoleSso.Off.class);
        assertThat(ConsoleSso.off().tokenOrigin()).isEmpty();
    }
}
