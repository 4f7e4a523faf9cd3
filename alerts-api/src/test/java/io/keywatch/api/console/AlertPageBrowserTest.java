package io.keywatch.api.console;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ConsoleBrowser;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.WebhookTestStack;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The alert page (#/alerts/{id}) in a real Chromium against an API that revokes on CRITICAL alerts and delivers the
 * {@code key.revoked} webhook to a local receiver: evidence as tables, the timeline from trigger to delivery,
 * triage from the page, and nothing to press for a viewer. One browser and one API for the class.
 */
@ExtendWith(SharedInfra.class)
@EnabledIf(value = "io.keywatch.api.support.ConsoleBrowser#installed", disabledReason = "browser tests skipped: no "
        + "Chromium or ChromeDriver (apt-get install chromium chromium-driver, or set KEYWATCH_CHROMIUM and "
        + "KEYWATCH_CHROMEDRIVER)")
class AlertPageBrowserTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String OWNER = "payments-team";

    private static WebhookTestStack stack;
    private static ConsoleBrowser browser;
    private static ApiClient admin;
    private static String responderToken;
    private static String viewerToken;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        ConsoleBrowser.assumeInstalled();
        stack = WebhookTestStack.start(postgres, broker);
        browser = ConsoleBrowser.start(stack.service().port());
        admin = stack.api();
        responderToken = token("alice.responder", "responder");
        viewerToken = token("victor.viewer", "viewer");
        assertOk(admin.post("/api/v1/webhooks", "{\"url\":\"" + stack.receiver().url("/payments")
                + "\",\"eventTypes\":[\"alert.created\",\"key.revoked\"],\"owner\":\"" + OWNER + "\"}"), 201);
        assertOk(admin.put("/api/v1/keys/pk_live_reports_K3m9", "{\"owner\":\"analytics\",\"autoRevoke\":false}"),
                201);
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @AfterEach
    void nothingThePolicyRefusedAndNoUncaughtError() {
        if (browser != null) {
            browser.assertNoRefusalOrUncaughtError();
        }
    }

    @Test
    void showsEvidenceAndTheTimelineOfARevokingAlertAndResolvesIt() {
        String id = revokingAlert("pk_live_checkout_7Qx2");
        browser.signIn(responderToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/alerts/" + id);

        browser.waitFor(By.cssSelector("#alert-timeline li[data-step='webhook-delivered']"));
        assertThat(steps()).containsSubsequence("triggered", "detected", "stored", "revocation-decided",
                "key-revoked", "webhook-delivered");
        for (WebElement latency : browser.driver().findElements(By.cssSelector("#alert-timeline .latency"))) {
            assertThat(latency.getText()).matches("\\+\\d+ ms|\\+\\d+\\.\\d s|\\+\\d+ min \\d+ s");
        }
        assertThat(step("detected").findElement(By.cssSelector(".latency")).getText()).isEqualTo("+1.4 s");
        assertThat(step("key-revoked").getText()).contains("policy:AUTH_FAILURE_BURST");
        assertThat(browser.driver().findElement(By.id("alert-timeline")).getText())
                .contains("key.revoked to subscription", "alert.created to subscription", "HTTP 200");

        WebElement evidence = browser.driver().findElement(By.id("alert-evidence"));
        assertThat(section(evidence, "topClientIps").getText()).contains("Top client IPs", "185.220.101.47", "912");
        assertThat(section(evidence, "authResults").findElements(By.tagName("meter"))).hasSize(3);
        assertThat(section(evidence, "authResults").getText()).contains("INVALID_SECRET", "1843");
        assertThat(section(evidence, "topCountries").getText()).contains("NL", "RU");
        assertThat(section(evidence, "topPaths").getText()).contains("/v1/charges");
        assertThat(evidence.findElement(By.cssSelector(".evidence-facts")).getText())
                .contains("authFailures", "1843", "distinctClientIps", "37");
        assertThat(browser.driver().findElement(By.id("alert-summary")).getText())
                .contains("AUTH_FAILURE_BURST", "CRITICAL", "OPEN", "REVOKED");
        // the whole page in one picture: the README's docs/console/alert.png is a copy of it
        Dimension size = browser.driver().manage().window().getSize();
        browser.driver().manage().window().setSize(new Dimension(1400, 1250));
        try {
            browser.screenshotForDocs("console-alert-page", "alert.png");
        } finally {
            browser.driver().manage().window().setSize(size);
        }

        // resolve from the page by its shortcut, as in the inbox
        browser.press("r");
        new Select(browser.waitFor(By.id("resolve-resolution"))).selectByValue("revoked");
        browser.driver().findElement(By.id("resolve-note")).sendKeys("key rotated by payments on-call", Keys.ENTER);
        browser.waitFor(By.cssSelector("#alert-timeline li[data-step='resolved']"));
        assertThat(step("resolved").getText()).contains("token:alice.responder", "revoked");
        assertThat(browser.driver().findElements(By.id("detail-resolve"))).isEmpty();
        assertThat(browser.driver().findElement(By.id("alert-history")).getText())
                .contains("key rotated by payments on-call");
        JsonNode resolved = assertOk(admin.get("/api/v1/alerts/" + id), 200).json();
        assertThat(resolved.path("status").asText()).isEqualTo("RESOLVED");
        assertThat(resolved.path("resolution").asText()).isEqualTo("revoked");
        assertThat(resolved.path("resolvedBy").asText()).isEqualTo("token:alice.responder");
    }

    @Test
    void aViewerSeesTheTimelineButNoTriageButtonsAndItsShortcutsChangeNothing() {
        String id = revokingAlert("pk_live_checkout_V9r4");
        browser.signIn(viewerToken);
        assertThat(browser.waitFor(By.id("role")).getText()).isEqualTo("viewer");
        browser.go("#/alerts/" + id);
        browser.waitFor(By.cssSelector("#alert-timeline li[data-step='webhook-delivered']"));

        assertThat(browser.driver().findElements(By.cssSelector("#alert-detail button"))).isEmpty();
        browser.press("a");
        browser.press("r");
        browser.press("s");
        assertThat(browser.driver().findElements(By.tagName("dialog"))).isEmpty();
        assertThat(assertOk(admin.get("/api/v1/alerts/" + id), 200).json().path("status").asText())
                .isEqualTo("OPEN");
    }

    @Test
    void anEvidenceShapeNobodyKnowsIsShownAsKeysAndValues() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("nested", Map.of("deep", List.of(1, 2)));
        evidence.put("<b>label</b>", "<img src=x onerror=window.kwXss=1>");
        evidence.put("__proto__", Map.of("polluted", 7));
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            many.put("/v1/items/" + i, i);
        }
        evidence.put("topPaths", many);
        stack.kafka().publish(stack.settings().topics().alerts(), new Alert("ap-odd", AlertRule.KEY_IN_URL,
                Severity.LOW, "pk_live_reports_K3m9", now.minusSeconds(60), now, now.minusSeconds(2), now, 1, 1, null,
                "API key sent in a URL query string", evidence));
        await().atMost(TIMEOUT).until(() -> admin.get("/api/v1/alerts/ap-odd").status() == 200);
        browser.signIn(viewerToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/alerts/ap-odd");

        WebElement facts = browser.waitFor(By.cssSelector("#alert-evidence .evidence-facts"));
        assertThat(facts.getText()).contains("nested", "{\"deep\":[1,2]}", "<b>label</b>",
                "<img src=x onerror=window.kwXss=1>");
        assertThat(section(browser.driver().findElement(By.id("alert-evidence")), "__proto__").getText())
                .contains("__proto__", "polluted", "7");
        WebElement paths = section(browser.driver().findElement(By.id("alert-evidence")), "topPaths");
        assertThat(paths.findElements(By.tagName("tr"))).hasSize(25); // the largest 25 of 40
        assertThat(paths.getText()).contains("/v1/items/39", "… 15 more").doesNotContain("/v1/items/14 ");
        assertThat(browser.driver().findElements(By.cssSelector("main img, main b"))).isEmpty();
        assertThat(browser.script("return window.kwXss === undefined")).isEqualTo(true);
        assertThat(browser.script("return ({}).polluted === undefined")).isEqualTo(true);
    }

    @Test
    void anOpenAlertPageFollowsWhatOthersDoWithoutAReload() {
        String id = revokingAlert("pk_live_checkout_L1v3");
        browser.signIn(viewerToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/alerts/" + id);
        browser.waitFor(By.cssSelector("#alert-timeline li[data-step='webhook-delivered']"));
        browser.script("window.kwSamePage = true");

        // someone else acknowledges it: the stream brings the change, the page reads the alert and its timeline again
        assertOk(admin.post("/api/v1/alerts/" + id + "/acknowledge", "{\"note\":\"looking at it from the bridge\"}"),
                200);
        browser.waitFor(By.cssSelector("#alert-timeline li[data-step='acknowledged']"));
        browser.until(d -> d.findElement(By.id("alert-summary")).getText().contains("ACKNOWLEDGED"));
        assertThat(browser.driver().findElement(By.id("alert-history")).getText())
                .contains("looking at it from the bridge");
        assertThat(browser.script("return window.kwSamePage === true")).as("no reload").isEqualTo(true);
    }

    /** A CRITICAL AUTH_FAILURE_BURST that the policy turns into a revocation; waits for the webhook delivery. */
    private static String revokingAlert(String key) {
        assertOk(admin.put("/api/v1/keys/" + key, "{\"owner\":\"" + OWNER + "\",\"service\":\"checkout\","
                + "\"autoRevoke\":true}"), 201);
        Instant detected = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("requests", 1871);
        evidence.put("errors", 1846);
        evidence.put("authFailures", 1843);
        evidence.put("authResults", Map.of("INVALID_SECRET", 1843, "OK", 25, "RATE_LIMITED", 3));
        evidence.put("distinctClientIps", 37);
        evidence.put("distinctCountries", 4);
        evidence.put("topClientIps", Map.of("185.220.101.47", 912, "45.155.205.233", 488, "194.26.29.102", 301,
                "203.0.113.18", 25));
        evidence.put("topCountries", Map.of("NL", 1019, "RU", 614, "DE", 213, "US", 25));
        evidence.put("topPaths", Map.of("/v1/charges", 1402, "/v1/customers", 380, "/v1/refunds", 89));
        evidence.put("highThreshold", 200);
        evidence.put("criticalThreshold", 1000);
        String id = Alert.idFor(AlertRule.AUTH_FAILURE_BURST, key, detected.minusSeconds(60));
        Alert alert = new Alert(id, AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL, key,
                detected.minusSeconds(60), detected, detected.minusMillis(1400), detected, 1843, 1000, null,
                "1843 failed authentications in one minute from 37 IPs", evidence);
        stack.kafka().publish(stack.settings().topics().alerts(), alert);
        await().atMost(TIMEOUT).until(() -> stack.receiver().received("/payments", "key.revoked").stream()
                .anyMatch(r -> r.json().path("data").path("keyId").asText().equals(key)));
        await().atMost(TIMEOUT).until(() -> admin.get("/api/v1/alerts/" + id + "/timeline").body()
                .split("webhook-delivered", -1).length == 3); // alert.created and key.revoked
        return id;
    }

    private static List<String> steps() {
        return browser.driver().findElements(By.cssSelector("#alert-timeline li")).stream()
                .map(li -> li.getDomAttribute("data-step")).toList();
    }

    private static WebElement step(String name) {
        return browser.driver().findElement(By.cssSelector("#alert-timeline li[data-step='" + name + "']"));
    }

    private static WebElement section(WebElement evidence, String name) {
        return evidence.findElement(By.cssSelector("section[data-name='" + name + "']"));
    }

    private static String token(String name, String role) {
        return assertOk(admin.post("/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}"), 201)
                .json().path("token").asText();
    }
}
