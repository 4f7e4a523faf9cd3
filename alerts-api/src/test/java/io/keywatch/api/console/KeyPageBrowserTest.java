package io.keywatch.api.console;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.approvals.FourEyesSettings;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ConsoleBrowser;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
import io.keywatch.api.usage.UsageMinute;
import io.keywatch.api.usage.UsageSource;
import io.keywatch.api.usage.UsageUnavailableException;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The keys list and the key page in a real (headless) Chromium against the real API on embedded PostgreSQL and Kafka,
 * with four eyes on and key usage from a {@link UsageSource} holding per-minute counts as the topology's store would
 * (the real topology behind the interface is tested in the standalone's {@code KeyUsageEndToEndTest}). One browser and
 * one API for the class. Skipped where Chromium or ChromeDriver is missing ({@link ConsoleBrowser}).
 */
@ExtendWith(SharedInfra.class)
@EnabledIf(value = "io.keywatch.api.support.ConsoleBrowser#installed", disabledReason = "browser tests skipped: no "
        + "Chromium or ChromeDriver (apt-get install chromium chromium-driver, or set KEYWATCH_CHROMIUM and "
        + "KEYWATCH_CHROMEDRIVER)")
class KeyPageBrowserTest {

    /** The minute the page's "now" falls in when the class starts; the data is laid out relative to it. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private static final String INCIDENT_KEY = "payments-prod-7f3a";
    private static final int PEAK = 1_412;

    /** Minutes by key, as the topology's usage store holds them; the key "usage-rebalancing" cannot be asked. */
    static final class StoreLikeUsage implements UsageSource {
        final Map<String, List<UsageMinute>> minutes = new ConcurrentHashMap<>();
        final Map<String, java.util.concurrent.atomic.AtomicInteger> asked = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "topology";
        }

        @Override
        public Duration retention() {
            return Duration.ofMinutes(120);
        }

        @Override
        public List<UsageMinute> minutes(String keyId, Instant from, Instant to) {
            asked.computeIfAbsent(keyId, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            if (keyId.equals("usage-rebalancing")) {
                throw new UsageUnavailableException("store migrating", Duration.ofSeconds(5), null);
            }
            return minutes.getOrDefault(keyId, List.of()).stream()
                    .filter(m -> !m.start().isBefore(from) && m.start().isBefore(to)).toList();
        }
    }

    private static final StoreLikeUsage USAGE = new StoreLikeUsage();
    private static RunningApi running;
    private static ConsoleBrowser browser;
    private static ApiClient admin;
    private static String responderToken;
    private static String viewerToken;
    private String cspListener;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        ConsoleBrowser.assumeInstalled();
        USAGE.minutes.put(INCIDENT_KEY, incident());
        ApiSettings settings = TestServices.settings(postgres, broker).withFourEyes(FourEyesSettings.DEFAULTS);
        HikariDataSource dataSource = DataSources.pooled(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
        AlertsApiService service = new AlertsApiService(settings, dataSource, null).withUsageSource(USAGE).start();
        running = new RunningApi(settings, dataSource, service, new ApiClient(service.port(), TestServices.TOKEN),
                new KafkaTestClients(broker.bootstrapServers()));
        browser = ConsoleBrowser.start(service.port());
        admin = running.api();
        responderToken = token("keypage-responder", "responder");
        viewerToken = token("keypage-viewer", "viewer");
        register(INCIDENT_KEY, "team-payments", "payments-api", "[\"charges:write\",\"refunds:write\"]",
                "\"createdAt\":\"2025-03-14T09:00:00Z\",\"allowedCountries\":[\"DE\",\"FR\"],"
                        + "\"allowedCidrs\":[\"198.51.100.0/24\"],\"rateLimitPerMinute\":600");
        register("payments-batch-21c9", "team-payments", "settlement", "[\"payouts:read\"]", null);
        register("search-web-0b1e", "team-search", "search-frontend", "[\"catalog:read\"]", null);
        publish(alert("kp-volume", INCIDENT_KEY, AlertRule.VOLUME_SPIKE, Severity.HIGH,
                        NOW.minus(Duration.ofMinutes(24))),
                alert("kp-auth", INCIDENT_KEY, AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL,
                        NOW.minus(Duration.ofMinutes(22))),
                alert("kp-fanout", INCIDENT_KEY, AlertRule.IP_FANOUT, Severity.MEDIUM,
                        NOW.minus(Duration.ofMinutes(21))));
        // the CRITICAL alert revokes the key automatically (the policy's default), as in a real incident
        await().atMost(Duration.ofSeconds(20)).until(() -> assertOk(admin.get("/api/v1/keys/" + INCIDENT_KEY), 200)
                .json().path("status").asText().equals("REVOKED"));
    }

    /** Two hours of a payments key: steady daytime traffic, then five minutes of credential stuffing from many IPs. */
    private static List<UsageMinute> incident() {
        List<UsageMinute> minutes = new ArrayList<>();
        for (int ago = 119; ago >= 0; ago--) {
            Instant start = NOW.minus(Duration.ofMinutes(ago));
            long requests = 40 + (ago * 7L % 23);
            long failures = ago % 17 == 0 ? 1 : 0;
            int ips = 3 + ago % 3;
            Map<AlertRule, Severity> alerts = Map.of();
            if (ago <= 25 && ago >= 20) {
                requests = ago == 22 ? PEAK : 600 + (25 - ago) * 150L;
                failures = requests / 3;
                ips = 20 + (25 - ago) * 9;
            }
            if (ago == 24) {
                alerts = Map.of(AlertRule.VOLUME_SPIKE, Severity.HIGH);
            } else if (ago == 22) {
                alerts = Map.of(AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL);
            } else if (ago == 21) {
                alerts = Map.of(AlertRule.IP_FANOUT, Severity.MEDIUM);
            }
            minutes.add(new UsageMinute(start, requests, failures, ago % 29 == 0 ? 2 : 0, ips, alerts));
        }
        return minutes;
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
        }
    }

    /** Counts Content-Security-Policy violations into a global the test reads (before the page's own scripts). */
    @BeforeEach
    void countPolicyViolations() {
        cspListener = browser.addOnLoad("window.kwCspViolations = [];"
                + "document.addEventListener('securitypolicyviolation', e => window.kwCspViolations.push("
                + "e.violatedDirective + ' ' + e.blockedURI));");
    }

    @AfterEach
    void nothingThePolicyRefusedAndNoUncaughtError() {
        browser.removeOnLoad(cspListener);
        assertThat((List<?>) browser.script("return window.kwCspViolations")).as("CSP violations").isEmpty();
        browser.assertNoRefusalOrUncaughtError();
    }

    @Test
    void theKeyPageChartsTheTrafficTheApiAnswersWithTheAlertMinutesMarked() {
        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));
        browser.go("#/keys/" + INCIDENT_KEY);

        WebElement chart = browser.until(d -> {
            WebElement c = d.findElement(By.id("usage-chart"));
            return c.getDomAttribute("data-points") != null ? c : null;
        });
        assertThat(chart.getDomAttribute("data-points")).isEqualTo("120");
        assertThat(chart.getDomAttribute("data-max-requests")).isEqualTo(String.valueOf(PEAK));
        assertThat(chart.getDomAttribute("data-alert-minutes")).isEqualTo("3");
        assertThat(chart.findElements(By.cssSelector("canvas"))).isNotEmpty();
        // uPlot's legend names the series; its stylesheet came from the WebJar (a file, as the policy wants)
        assertThat(chart.getText()).contains("requests/min", "failed auth/min", "distinct IPs", "alerts");
        assertThat(browser.script("return [...document.styleSheets].some(s => (s.href || '').includes("
                + "'/webjars/uplot/1.6.30/dist/uPlot.min.css'))")).isEqualTo(true);
        assertThat(browser.waitFor(By.id("usage-summary")).getText())
                .contains("AUTH_FAILURE_BURST (CRITICAL)", "VOLUME_SPIKE (HIGH)", "IP_FANOUT (MEDIUM)");

        assertThat(browser.waitFor(By.id("key-state")).getText()).isEqualTo("REVOKED");
        assertThat(browser.driver().findElement(By.id("key-reason")).getText()).contains("AUTH_FAILURE_BURST");
        assertThat(browser.driver().findElements(By.id("key-reinstate"))).as("an admin may reinstate").hasSize(1);
        assertThat(browser.driver().findElement(By.id("key-registry")).getText())
                .contains("team-payments", "payments-api", "charges:write, refunds:write", "600 requests/min",
                        "DE, FR", "198.51.100.0/24");
        WebElement alerts = browser.waitFor(By.cssSelector("#key-alerts tr[data-id='kp-auth']"));
        assertThat(alerts.findElement(By.cssSelector("a")).getDomAttribute("href")).isEqualTo("#/alerts/kp-auth");
        assertThat(browser.driver().findElements(By.cssSelector("#key-alerts tr[data-id]"))).hasSize(3);
        browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1250));
        try {
            browser.until(d -> d.findElement(By.cssSelector("#usage-chart canvas")).getSize().getWidth() > 1000);
            browser.screenshotForDocs("key", "key.png");
        } finally {
            browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1400, 900));
        }

        // a shorter range asks for fewer minutes
        browser.driver().findElement(By.id("range-30m")).click();
        browser.until(d -> "30".equals(d.findElement(By.id("usage-chart")).getDomAttribute("data-points")));
        assertThat(browser.driver().getCurrentUrl()).endsWith("range=30m");
    }

    @Test
    void aResponderRevokesWithAReasonAndTheApiAgrees() {
        register("reports-cron-9d2f", "team-data", "reports", "[\"reports:read\"]", null);
        browser.signIn(responderToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/keys/reports-cron-9d2f");
        browser.waitFor(By.id("key-revoke")).click();
        browser.waitFor(By.id("revoke-reason")).sendKeys("leaked in a public gist");
        browser.driver().findElement(By.id("revoke-dialog-submit")).click();

        browser.until(d -> d.findElement(By.id("key-state")).getText().equals("REVOKED"));
        assertThat(browser.driver().findElement(By.id("key-reason")).getText()).isEqualTo("leaked in a public gist");
        assertThat(browser.driver().findElements(By.id("key-revoke"))).isEmpty();
        assertThat(browser.driver().findElements(By.id("key-reinstate"))).as("reinstating is admin work").isEmpty();
        JsonNode key = assertOk(admin.get("/api/v1/keys/reports-cron-9d2f"), 200).json();
        assertThat(key.path("status").asText()).isEqualTo("REVOKED");
        assertThat(key.path("reason").asText()).isEqualTo("leaked in a public gist");
        assertThat(key.path("changedBy").asText()).isEqualTo("token:keypage-responder");
    }

    @Test
    void underFourEyesReinstatingSaysAnApprovalIsPendingAndChangesNothing() {
        register("mobile-ios-44aa", "team-mobile", "ios-app", "[\"profile:read\"]", null);
        // revoked by another identity than the admin who asks to reinstate it (four eyes)
        assertOk(new ApiClient(running.service().port(), responderToken).post("/api/v1/keys/mobile-ios-44aa/revoke",
                "{\"reason\":\"suspicious\"}"), 200);
        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));
        browser.go("#/keys/mobile-ios-44aa");
        browser.waitFor(By.id("key-reinstate")).click();
        browser.waitFor(By.id("reinstate-reason")).sendKeys("false alarm: QA run");
        browser.driver().findElement(By.id("reinstate-dialog-submit")).click();

        browser.until(d -> !d.findElements(By.id("key-pending")).isEmpty()
                || !d.findElements(By.cssSelector("#reinstate-dialog-error .notice")).isEmpty());
        assertThat(browser.driver().findElements(By.cssSelector("#reinstate-dialog-error .notice")))
                .as("the dialog's error").extracting(WebElement::getText).isEmpty();
        WebElement pending = browser.waitFor(By.id("key-pending"));
        assertThat(pending.getText()).contains("waits for a second admin");
        assertThat(pending.findElement(By.cssSelector("a")).getDomAttribute("href")).isEqualTo("#/revocations");
        assertThat(assertOk(admin.get("/api/v1/keys/mobile-ios-44aa"), 200).json().path("status").asText())
                .isEqualTo("REVOKED");
        assertThat(assertOk(admin.get("/api/v1/approvals?status=pending"), 200).json().toString())
                .contains("mobile-ios-44aa", "false alarm: QA run");
    }

    @Test
    void aViewerSeesTheKeyButNoRevokeButton() {
        browser.signIn(viewerToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/keys/search-web-0b1e");
        browser.until(d -> d.findElement(By.id("usage-chart")).getDomAttribute("data-points") != null);
        assertThat(browser.waitFor(By.id("key-state")).getText()).isEqualTo("ACTIVE");
        assertThat(browser.driver().findElements(By.id("key-revoke"))).isEmpty();
        assertThat(browser.driver().findElements(By.id("key-reinstate"))).isEmpty();
    }

    @Test
    void aCanaryKeyIsMarkedWithWhereItWasPlanted() {
        register("pk_live_decoy_7Qx9", "team-security", "decoys", "[\"billing:read\"]",
                "\"canary\":true,\"plantedAt\":\"github.com/acme/old-infra/.env <img src=x onerror=window.kwXss=1>\"");
        browser.signIn(viewerToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/keys/pk_live_decoy_7Qx9");
        assertThat(browser.waitFor(By.id("key-canary")).getText()).isEqualTo("CANARY");
        assertThat(browser.driver().findElement(By.id("key-registry")).getText())
                .contains("Planted at", "github.com/acme/old-infra/.env <img src=x onerror=window.kwXss=1>");
        assertThat(browser.script("return window.kwXss === undefined")).isEqualTo(true);

        browser.go("#/keys?owner=team-security");
        WebElement row = browser.waitFor(By.cssSelector("#key-rows tr[data-key='pk_live_decoy_7Qx9']"));
        assertThat(row.getText()).contains("CANARY");
        // a real key carries no badge
        browser.go("#/keys/search-web-0b1e");
        browser.waitFor(By.id("key-state"));
        assertThat(browser.driver().findElements(By.id("key-canary"))).isEmpty();
    }

    @Test
    void theLeastPrivilegeBlockShowsUsedAndUnusedScopesAndTheNarrowerGrant() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        register("reports-etl-5d2e", "team-reports", "reports", "[\"reports:read\",\"reports:write\"]", null);
        // the scopes come from callers' events: markup in one must stay text
        running.kafka().publishRaw(running.settings().topics().keyScopes(), "reports-etl-5d2e",
                new JsonSerde<>(KeyScopeUsage.class).toBytes(new KeyScopeUsage("reports-etl-5d2e",
                        today.minusDays(60), Map.of("reports:read", today,
                        "<img src=x onerror=window.kwXss=2>", today.minusDays(3)), false)));
        await().atMost(Duration.ofSeconds(30)).until(() -> running.service().keyScopeStatus().storedRecords() >= 1);

        browser.signIn(viewerToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/keys/reports-etl-5d2e");
        WebElement block = browser.waitFor(By.cssSelector("#key-least-privilege[data-verdict]"));
        assertThat(block.getDomAttribute("data-verdict")).isEqualTo("OVERPRIVILEGED");
        assertThat(block.getText()).contains("Holds scopes it did not use (last 30 days; watched since "
                        + today.minusDays(60) + ")", "reports:read (last " + today + ")",
                "<img src=x onerror=window.kwXss=2> (last " + today.minusDays(3) + ")")
                .containsPattern("Unused\\s+reports:write")
                .containsPattern("Grant instead\\s+reports:read")
                .containsPattern("Used, not registered\\s+<img src=x onerror=window.kwXss=2>");
        assertThat(browser.script("return window.kwXss === undefined")).isEqualTo(true);

        // a key keywatch never saw used, and one that is not registered
        browser.go("#/keys/search-web-0b1e");
        assertThat(browser.waitFor(By.cssSelector("#key-least-privilege[data-verdict]")).getText())
                .contains("keywatch has not seen this key used");
        browser.go("#/keys/usage-rebalancing");
        browser.until(d -> d.findElement(By.id("key-least-privilege")).getText().contains("Not in the registry"));
    }

    @Test
    void unavailableUsageAndAKeyWithoutTrafficAreSaidPlainly() {
        browser.signIn(viewerToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/keys/usage-rebalancing");
        assertThat(browser.waitFor(By.cssSelector("#usage-note .notice")).getText())
                .contains("Usage unavailable", "store migrating", "topology's state");
        assertThat(browser.driver().findElement(By.id("key-state-box")).getText()).contains("no registry entry");

        browser.go("#/keys/payments-batch-21c9");
        assertThat(browser.waitFor(By.cssSelector("#usage-note .notice")).getText())
                .isEqualTo("No traffic from this key in this range.");
        assertThat(browser.driver().findElement(By.id("usage-chart")).getDomAttribute("data-max-requests"))
                .isEqualTo("0");
    }

    @Test
    void theKeysListFiltersInTheUrlLoadsMoreAndLinksToEachKey() {
        for (int i = 0; i < 52; i++) {
            register(String.format("fleet-%02d", i), "team-fleet", "telemetry", "[\"metrics:write\"]", null);
        }
        browser.signIn(viewerToken);
        browser.waitFor(By.id("whoami"));
        browser.open("#/keys?owner=team-fleet");
        browser.until(d -> d.findElements(By.cssSelector("#key-rows tr[data-key]")).size() == 50);
        browser.waitFor(By.id("keys-more")).click();
        browser.until(d -> d.findElements(By.cssSelector("#key-rows tr[data-key]")).size() == 52);
        assertThat(browser.driver().findElement(By.id("keys-more")).isDisplayed()).isFalse();

        browser.go("#/keys?owner=team-payments&q=payments-p");
        browser.until(d -> keyRows().equals(List.of(INCIDENT_KEY)));
        assertThat(browser.driver().findElement(By.id("keys-q")).getDomProperty("value"))
                .isEqualTo("payments-p");
        browser.driver().findElement(By.cssSelector("#key-rows tr[data-key] a")).click();
        browser.until(d -> d.getCurrentUrl().endsWith("#/keys/" + INCIDENT_KEY));
        assertThat(browser.waitFor(By.id("key-id")).getText()).isEqualTo(INCIDENT_KEY);
    }

    /**
     * While the page is open it asks again every 30 s and draws what changed; once left, it stops asking. The page's
     * 30-second interval (and only that one) is run every 300 ms here, so the test need not wait.
     */
    @Test
    void theChartRefreshesWhileThePageIsOpenAndStopsWhenLeft() {
        String fast = browser.addOnLoad("const kwSetInterval = window.setInterval;"
                + "window.setInterval = (f, ms, ...a) => kwSetInterval(f, ms === 30000 ? 300 : ms, ...a);");
        try {
            USAGE.minutes.put("refresh-key", List.of(new UsageMinute(NOW.minus(Duration.ofMinutes(5)), 90, 0, 0, 2,
                    Map.of())));
            browser.signIn(viewerToken);
            browser.waitFor(By.id("whoami"));
            browser.go("#/keys/refresh-key");
            browser.until(d -> "90".equals(d.findElement(By.id("usage-chart")).getDomAttribute("data-max-requests")));

            USAGE.minutes.put("refresh-key", List.of(new UsageMinute(NOW.minus(Duration.ofMinutes(5)), 90, 0, 0, 2,
                    Map.of()), new UsageMinute(NOW.minus(Duration.ofMinutes(1)), 777, 12, 0, 9,
                    Map.of(AlertRule.VOLUME_SPIKE, Severity.HIGH))));
            browser.until(d -> "777".equals(d.findElement(By.id("usage-chart")).getDomAttribute("data-max-requests")));
            assertThat(browser.driver().findElement(By.id("usage-chart")).getDomAttribute("data-alert-minutes"))
                    .isEqualTo("1");

            browser.go("#/keys");
            browser.waitFor(By.id("key-filters"));
            int asked = USAGE.asked.get("refresh-key").get();
            // ten refresh periods later, nobody asked any more
            browser.asyncScript("setTimeout(arguments[arguments.length - 1], 3000)");
            assertThat(USAGE.asked.get("refresh-key").get()).isEqualTo(asked);
        } finally {
            browser.removeOnLoad(fast);
        }
    }

    /** A key id, reason and owner holding markup are shown as text, and nothing in them runs. */
    @Test
    void markupInAKeysDataIsShownAsText() {
        String keyId = "<b>pay<img>\"'&amp;"; // a key id has no spaces or slashes, but markup it may
        String encoded = java.net.URLEncoder.encode(keyId, java.nio.charset.StandardCharsets.UTF_8);
        USAGE.minutes.put(keyId, List.of(new UsageMinute(NOW.minus(Duration.ofMinutes(3)), 50, 5, 0, 2,
                Map.of(AlertRule.UNKNOWN_KEY, Severity.LOW))));
        int status = admin.put("/api/v1/keys/" + encoded, "{\"owner\":\"<b>team</b>\",\"service\":\"svc\"}").status();
        assertThat(status).isEqualTo(201);
        assertOk(admin.post("/api/v1/keys/" + encoded + "/revoke",
                "{\"reason\":\"<script>kwPwned=2</script> leaked\"}"), 200);
        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));
        browser.go("#/keys/" + encoded);

        assertThat(browser.waitFor(By.id("key-id")).getText()).isEqualTo(keyId);
        assertThat(browser.waitFor(By.id("key-reason")).getText()).isEqualTo("<script>kwPwned=2</script> leaked");
        assertThat(browser.driver().findElement(By.id("key-registry")).getText()).contains("<b>team</b>");
        browser.until(d -> "50".equals(d.findElement(By.id("usage-chart")).getDomAttribute("data-max-requests")));
        assertThat(browser.driver().findElements(By.cssSelector("main img, main script, main b"))).isEmpty();
        assertThat(browser.script("return window.kwPwned === undefined")).isEqualTo(true);
    }

    /** The check after each test can fail: an inline style the policy refuses is counted. */
    @Test
    void theViolationCounterSeesWhatThePolicyRefuses() {
        browser.signOut();
        browser.script("document.body.setAttribute('style', 'outline: 1px solid red')");
        browser.until(d -> ((List<?>) browser.script("return window.kwCspViolations")).size() == 1);
        assertThat(browser.script("return window.kwCspViolations[0]")).asString().startsWith("style-src");
        browser.script("window.kwCspViolations.length = 0");
        browser.browserErrors(); // the refusal is logged too: read, so the check after the test sees none
    }

    /** uPlot comes from the jar, without a credential, with the same security headers as every answer. */
    @Test
    void theChartLibraryIsServedFromTheJarWithTheSecurityHeaders() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + running.service().port()
                        + "/webjars/uplot/1.6.30/dist/uPlot.esm.js")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().contains("javascript");
        assertThat(response.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("style-src 'self'").doesNotContain("unsafe-inline");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.body()).contains("uPlot.js", "v1.6.30");
    }

    private static List<String> keyRows() {
        return browser.driver().findElements(By.cssSelector("#key-rows tr[data-key]")).stream()
                .map(tr -> tr.getDomAttribute("data-key")).toList();
    }

    private static void register(String keyId, String owner, String service, String scopes, String more) {
        String body = "{\"owner\":\"" + owner + "\",\"service\":\"" + service + "\",\"scopes\":" + scopes
                + ",\"expiresAt\":\"2027-06-30T00:00:00Z\",\"autoRevoke\":true"
                + (more == null ? "" : "," + more) + "}";
        int status = admin.put("/api/v1/keys/" + keyId, body).status();
        assertThat(status).as(keyId).isIn(200, 201);
    }

    private static void publish(Alert... alerts) {
        running.kafka().publishAll(running.settings().topics().alerts(), List.of(alerts));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (Alert alert : alerts) {
                assertThat(admin.get("/api/v1/alerts/" + alert.id()).status()).as(alert.id()).isEqualTo(200);
            }
        });
    }

    private static String token(String name, String role) {
        return assertOk(admin.post("/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}"), 201)
                .json().path("token").asText();
    }
}
