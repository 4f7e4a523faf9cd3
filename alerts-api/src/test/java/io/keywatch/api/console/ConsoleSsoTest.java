package io.keywatch.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.auth.oidc.OidcSettings;
import io.keywatch.api.auth.oidc.ProviderEndpoints;
import io.keywatch.api.auth.oidc.RoleMap;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The public config route must neither let strangers make keywatch hammer the issuer nor hold a request thread while
 * the issuer is slow: one background thread discovers, requests read what it found.
 */
class ConsoleSsoTest {

    private static final ProviderEndpoints ENDPOINTS = new ProviderEndpoints(
            URI.create("https://login.example.com/authorize"), URI.create("https://tokens.example.com:8443/oauth/token"));

    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean(true);
    private final ConsoleSso sso = new ConsoleSso(settings(), client(), () -> {
        asked.incrementAndGet();
        if (failing.get()) {
            throw new IllegalStateException("connect timed out: http://10.0.3.7:8080/realms/ops");
        }
        return ENDPOINTS;
    });

    private static ConsoleSsoSettings client() {
        return new ConsoleSsoSettings("keywatch-console", "openid");
    }

    private static OidcSettings settings() {
        return new OidcSettings("https://login.example.com/realms/ops", "keywatch", null,
                OidcSettings.DEFAULT_ROLE_CLAIM, RoleMap.parse("ops=admin"), OidcSettings.DEFAULT_IDENTITY_CLAIM, false,
                OidcSettings.DEFAULT_JWKS_REFRESH_MINIMUM);
    }

    @Test
    void beforeTheFirstDiscoveryItSaysStartingAndAsksNobody() {
        for (int i = 0; i < 100; i++) {
            assertThat(sso.state()).isEqualTo(new ConsoleSso.Unavailable("https://login.example.com/realms/ops",
                    "keywatch-console", "openid", ConsoleSso.STARTING, true));
        }
        assertThat(asked).hasValue(0);
        assertThat(sso.tokenOrigin()).isEmpty();
    }

    @Test
    void aFailureIsRetriedSoonAndAnAnswerKeptForAnHour() {
        assertThat(sso.refresh()).isEqualTo(ConsoleSso.RETRY_AFTER_FAILURE);
        for (int i = 0; i < 100; i++) {
            assertThat(sso.state()).isInstanceOf(ConsoleSso.Unavailable.class);
        }
        assertThat(asked).hasValue(1);
        assertThat(sso.tokenOrigin()).isEmpty();

        failing.set(false);
        assertThat(sso.refresh()).isEqualTo(ConsoleSso.REFRESH);
        assertThat(sso.state()).isInstanceOf(ConsoleSso.Ready.class);
        assertThat(sso.tokenOrigin()).hasValue("https://tokens.example.com:8443");
        assertThat(asked).hasValue(2);
    }

    @Test
    void theFailureShownPubliclyNamesNoAddressAndNoException() {
        sso.refresh();

        ConsoleSso.Unavailable unavailable = (ConsoleSso.Unavailable) sso.state();
        assertThat(unavailable.error()).isEqualTo("SSO unavailable: the identity provider's discovery failed")
                .doesNotContain("10.0.3.7").doesNotContain("timed out");
        assertThat(unavailable.starting()).isFalse();
    }

    @Test
    void aFailedRefreshKeepsTheEndpointsThatWorkedAndAsksAgainSoon() {
        failing.set(false);
        sso.refresh();
        failing.set(true);

        assertThat(sso.refresh()).isEqualTo(ConsoleSso.RETRY_AFTER_FAILURE);
        assertThat(sso.state()).isInstanceOf(ConsoleSso.Ready.class);
        assertThat(sso.tokenOrigin()).hasValue("https://tokens.example.com:8443");
    }

    @Test
    void startReturnsAtOnceAndRequestsNeverWaitWhileTheIssuerHangs() throws Exception {
        CountDownLatch asking = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        try (ConsoleSso slow = new ConsoleSso(settings(), client(), () -> {
            asking.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return ENDPOINTS;
        })) {
            long started = System.nanoTime();
            slow.start();
            assertThat(asking.await(5, TimeUnit.SECONDS)).as("discovery began in the background").isTrue();
            for (int i = 0; i < 1_000; i++) {
                assertThat(slow.state()).isInstanceOf(ConsoleSso.Unavailable.class);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

            answer.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!(slow.state() instanceof ConsoleSso.Ready) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(slow.state()).isInstanceOf(ConsoleSso.Ready.class);
            assertThat(slow.tokenOrigin()).hasValue("https://tokens.example.com:8443");
        }
    }

    @Test
    void offAsksNobody() {
        assertThat(ConsoleSso.off().state()).isInstanceOf(ConsoleSso.Off.class);
        assertThat(ConsoleSso.off().tokenOrigin()).isEmpty();
        assertThat(ConsoleSso.off().start().state()).isInstanceOf(ConsoleSso.Off.class);
    }
}
