package io.keywatch.api.console;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.support.ConsoleBrowser;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestIdentityProvider;
import io.keywatch.api.support.TestIssuer;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.api.auth.oidc.OidcSettings;
import io.keywatch.api.auth.oidc.RoleMap;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * SSO sign-in in a real Chromium: the console runs the Authorization Code flow with PKCE against a test identity
 * provider ({@link TestIdentityProvider}) that checks every parameter and the S256 challenge, and the real API checks
 * the token it issues. One browser, one API, one provider for the class.
 */
@ExtendWith(SharedInfra.class)
@EnabledIf(value = "io.keywatch.api.support.ConsoleBrowser#installed", disabledReason = "browser tests skipped: no "
        + "Chromium or ChromeDriver (apt-get install chromium chromium-driver, or set KEYWATCH_CHROMIUM and "
        + "KEYWATCH_CHROMEDRIVER)")
class ConsoleSsoBrowserTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(40));

    private static TestIssuer issuer;
    private static TestIdentityProvider provider;
    private static RunningApi running;
    private static ConsoleBrowser browser;
    private static EmbeddedPostgresServer sharedPostgres;
    private static EmbeddedKafkaBroker sharedBroker;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        ConsoleBrowser.assumeInstalled();
        sharedPostgres = postgres;
        sharedBroker = broker;
        issuer = TestIssuer.start();
        provider = TestIdentityProvider.on(issuer);
        running = RunningApi.start(postgres, broker, s -> s.withOidc(issuer.settings())
                .withConsoleSso(new ConsoleSsoSettings(TestIdentityProvider.CLIENT_ID,
                        ConsoleSsoSettings.DEFAULT_SCOPES)));
        provider.console("http://localhost:" + running.service().port());
        browser = ConsoleBrowser.start(running.service().port());
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (running != null) {
                running.close();
            }
            if (issuer != null) {
                issuer.close();
            }
        }
    }

    @AfterEach
    void nothingThePolicyRefusedAndNoUncaughtError() {
        browser.assertNoRefusalOrUncaughtError();
    }

    private static void signedOutWithTheSsoButton() {
        browser.signOut();
        browser.waitFor(By.id("signin-sso"));
    }

    /** As if this tab had started a sign-in that sent {@code state}. */
    private static void pendingSignIn(String state) {
        browser.script("sessionStorage.setItem('keywatch.sso.pending', JSON.stringify({verifier: 'v'.repeat(64), "
                + "state: arguments[0], nonce: 'n', at: Date.now()}))", state);
    }

    private static Object stored(String key) {
        return browser.script("return sessionStorage.getItem(arguments[0])", key);
    }

    @Test
    void signsInWithSsoAsTheMappedRoleAndLeavesNoCodeInTheAddress() throws Exception {
        running.service().alertStore().storeAll(List.of(
                alert("sso-inbox-1", "pay-gw-prod-7f3a", AlertRule.VOLUME_SPIKE, Severity.HIGH, T0),
                alert("sso-inbox-2", "pay-gw-prod-7f3a", AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL,
                        T0.plusSeconds(40)),
                alert("sso-inbox-3", "search-ro-eu-19c2", AlertRule.VOLUME_SPIKE, Severity.MEDIUM,
                        T0.plusSeconds(300))));
        provider.signsIn("rita.oncall@example.com", TestIssuer.RESPONDERS);
        signedOutWithTheSsoButton();
        browser.screenshotForDocs("console-signin-sso", "signin-sso.png");
        int tokenCalls = provider.tokenRequests();

        browser.driver().findElement(By.id("signin-sso")).click();

        assertThat(browser.waitFor(By.id("whoami")).getText()).contains("oidc:rita.oncall@example.com");
        assertThat(browser.driver().findElement(By.id("role")).getText()).isEqualTo("responder");
        assertThat(provider.refusals()).isEmpty();
        assertThat(provider.tokenRequests()).isEqualTo(tokenCalls + 1);
        assertThat(provider.lastAuthorization()).containsEntry("code_challenge_method", "S256")
                .containsEntry("scope", "openid profile email").containsKeys("state", "nonce");
        String url = browser.driver().getCurrentUrl();
        assertThat(url).doesNotContain("code=").doesNotContain("state=");
        // the access token is kept like a pasted one; the verifier, state and the refresh token are not kept
        assertThat((String) stored("keywatch.token")).startsWith("ey");
        assertThat(stored("keywatch.sso.pending")).isNull();
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(1L);
        browser.go("#/alerts?keyId=pay-gw-prod-7f3a");
        browser.waitFor(By.cssSelector("tr[data-id='sso-inbox-2']"));
        browser.screenshot("console-signed-in-with-sso");

        browser.driver().findElement(By.id("signout")).click();
        browser.waitFor(By.id("signin-sso"));
        assertThat(stored("keywatch.token")).isNull();
    }

    @Test
    void aReturnWithAnotherStateIsRefusedWithoutCallingTheTokenEndpoint() {
        signedOutWithTheSsoButton();
        // this tab started a sign-in (state "the-real-state"); a forged link comes back with another state
        browser.script("sessionStorage.setItem('keywatch.sso.pending', JSON.stringify({verifier: 'v'.repeat(64), "
                + "state: 'the-real-state', nonce: 'n', at: Date.now()}))");
        int tokenCalls = provider.tokenRequests();

        browser.open("?code=attacker-code&state=forged-state");

        assertThat(browser.waitFor(By.id("signin-error")).getText()).contains("SSO sign-in refused", "state");
        assertThat(provider.tokenRequests()).isEqualTo(tokenCalls);
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("attacker-code");
        assertThat(stored("keywatch.token")).isNull();
        assertThat(stored("keywatch.sso.pending")).as("a refused return uses up the pending sign-in").isNull();
    }

    @Test
    void aProvidersErrorDescriptionIsShownAsTextAndRunsNothing() {
        signedOutWithTheSsoButton();
        pendingSignIn("state-of-this-tab");
        String markup = "<img src=x onerror=\"window.ssoPwned=1\"><b>Access denied by policy</b>";

        browser.open("?error=access_denied&state=state-of-this-tab&error_description="
                + URLEncoder.encode(markup, StandardCharsets.UTF_8));

        String shown = browser.waitFor(By.id("signin-error")).getText();
        assertThat(shown).contains("access_denied").contains(markup);
        assertThat(browser.driver().findElements(By.cssSelector("#signin-error img, #signin-error b"))).isEmpty();
        assertThat(browser.script("return window.ssoPwned === undefined")).isEqualTo(true);
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("error");
    }

    @Test
    void aSignedInPersonFollowingACraftedReturnLinkStaysSignedInAndSeesNoneOfItsText() {
        provider.signsIn("vera.readonly@example.com", TestIssuer.VIEWERS);
        signedOutWithTheSsoButton();
        browser.driver().findElement(By.id("signin-sso")).click();
        assertThat(browser.waitFor(By.id("role")).getText()).isEqualTo("viewer");

        browser.open("?error=access_denied&error_description=Your+session+was+hijacked.+Call+555-0100");

        assertThat(browser.waitFor(By.id("whoami")).getText()).contains("oidc:vera.readonly@example.com");
        assertThat(browser.driver().findElement(By.tagName("body")).getText()).doesNotContain("hijacked");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("error");
    }

    @Test
    void aLongDescriptionIsCutShort() {
        signedOutWithTheSsoButton();
        pendingSignIn("state-of-this-tab");
        browser.open("?error=x&state=state-of-this-tab&error_description=" + "A".repeat(5_000));

        String shown = browser.waitFor(By.id("signin-error")).getText();
        assertThat(shown).contains("AAAA");
        assertThat(shown.length()).isLessThan(700);
    }

    @Test
    void aCraftedErrorLinkPutsNoneOfItsTextOnTheSignInScreen() {
        String lure = "Your+account+is+locked.+Call+555-0100+with+your+token";
        signedOutWithTheSsoButton();

        // no sign-in pending in this tab
        browser.open("?error=access_denied&error_description=" + lure);
        String shown = browser.waitFor(By.id("signin-error")).getText();
        assertThat(shown).contains("an SSO answer this tab did not ask for was ignored")
                .doesNotContain("locked").doesNotContain("555-0100").doesNotContain("access_denied");

        // a sign-in pending, but the link carries another state (or none)
        for (String state : new String[] {"&state=forged-state", ""}) {
            signedOutWithTheSsoButton();
            pendingSignIn("state-of-this-tab");
            browser.open("?error=access_denied" + state + "&error_description=" + lure);
            shown = browser.waitFor(By.id("signin-error")).getText();
            assertThat(shown).as(state).contains("an SSO answer this tab did not ask for was ignored")
                    .doesNotContain("locked").doesNotContain("555-0100");
            assertThat(stored("keywatch.sso.pending")).isNull();
        }
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("error");
    }

    @Test
    void aPersonWhoseGroupsMapToNoRoleSeesTheApisRefusalOnTheSignInScreen() {
        provider.signsIn("sam.contractor@example.com", "contractors");
        signedOutWithTheSsoButton();

        browser.driver().findElement(By.id("signin-sso")).click();

        assertThat(browser.waitFor(By.id("signin-error")).getText())
                .contains("did not accept the identity provider's token", "KEYWATCH_OIDC_ROLE_MAP", "aud");
        assertThat(provider.refusals()).isEmpty();
        assertThat(stored("keywatch.token")).isNull();
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("code=");
    }

    @Test
    void anExpiredSsoTokenSendsBackToSignInSayingTheSessionExpired() {
        provider.signsIn("ada.admin@example.com", TestIssuer.ADMINS);
        signedOutWithTheSsoButton();
        browser.driver().findElement(By.id("signin-sso")).click();
        assertThat(browser.waitFor(By.id("role")).getText()).isEqualTo("admin");

        String expired = issuer.sign(issuer.claims("ada.admin@example.com", TestIssuer.ADMINS)
                .issueTime(Date.from(Instant.now().minusSeconds(900)))
                .expirationTime(Date.from(Instant.now().minusSeconds(300))).build());
        browser.script("sessionStorage.setItem('keywatch.token', arguments[0])", expired);
        browser.go("#/keys");

        assertThat(browser.waitFor(By.id("signin-error")).getText()).contains("Session expired", "Sign in again");
        browser.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-sso")));
    }

    @Test
    void whileTheApiIsStillDiscoveringTheConsoleAsksAgainTwiceThenSaysSo() throws Exception {
        // an issuer that starts an answer and never finishes it: the API's discovery stays under way
        try (ServerSocket trickling = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> trickle(trickling), "trickling-issuer");
            server.setDaemon(true);
            server.start();
            OidcSettings slow = new OidcSettings("http://127.0.0.1:" + trickling.getLocalPort() + "/realms/slow",
                    TestIssuer.AUDIENCE, null, OidcSettings.DEFAULT_ROLE_CLAIM, RoleMap.parse(TestIssuer.ROLE_MAP),
                    OidcSettings.DEFAULT_IDENTITY_CLAIM, true, OidcSettings.DEFAULT_JWKS_REFRESH_MINIMUM);
            try (RunningApi starting = RunningApi.start(sharedPostgres, sharedBroker, s -> s.withOidc(slow)
                    .withConsoleSso(new ConsoleSsoSettings(TestIdentityProvider.CLIENT_ID,
                            ConsoleSsoSettings.DEFAULT_SCOPES)))) {
                browser.driver().get("http://localhost:" + starting.service().port() + "/");

                browser.waitFor(By.cssSelector("#signin[data-sso='unavailable']"));
                assertThat(browser.driver().findElement(By.id("signin-sso-section")).getText())
                        .isEqualTo("SSO is starting: try again in a moment");
                assertThat(browser.script("return performance.getEntriesByType('resource')"
                        + ".filter(e => e.name.endsWith('/console/config.json')).length")).isEqualTo(3L);
            }
        }
    }

    /** Answers every connection with a status line, then one header byte every half second, forever. */
    private static void trickle(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                out.write("HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                while (!server.isClosed()) {
                    out.write('a');
                    out.flush();
                    Thread.sleep(500);
                }
            } catch (IOException e) {
                // closed (by the test's end or the API's shutdown): accept the next one, or stop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
