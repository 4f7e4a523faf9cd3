package io.keywatch.api.console;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.approvals.FourEyesSettings;
import io.keywatch.api.revocation.RevocationSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ConsoleBrowser;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
import io.keywatch.api.support.WebhookReceiver;
import io.keywatch.api.support.WebhookReceiver.Answer;
import io.keywatch.api.webhooks.ProbeSchedule;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The Revocations and Webhooks pages in a real (headless) Chromium against the real API on embedded PostgreSQL and
 * Kafka: decisions come from the real revocation policy (protected keys, CRITICAL alerts through the intake), webhook
 * deliveries from the real relay to a local receiver. Four eyes on, so approval requests are real too. One browser
 * and one API for the class; each test has its own key ids and webhook paths.
 */
@ExtendWith(SharedInfra.class)
@EnabledIf(value = "io.keywatch.api.support.ConsoleBrowser#installed", disabledReason = "browser tests skipped: no "
        + "Chromium or ChromeDriver (apt-get install chromium chromium-driver, or set KEYWATCH_CHROMIUM and "
        + "KEYWATCH_CHROMEDRIVER)")
class RevocationsConsoleBrowserTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static WebhookReceiver receiver;
    private static RunningApi running;
    private static ConsoleBrowser browser;
    private static ApiClient admin;
    private static String responderToken;
    private static String viewerToken;
    private static String secondAdminToken;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        ConsoleBrowser.assumeInstalled();
        receiver = new WebhookReceiver();
        running = RunningApi.start(postgres, broker, settings -> settings
                // a failing endpoint is probed only when the page redelivers (not by the clock during a test)
                .withWebhooks(TestServices.webhooks().withProbes(new ProbeSchedule(Duration.ofMinutes(30),
                        Duration.ofMinutes(30), 0)))
                .withRevocation(RevocationSettings.DEFAULTS.withRules(RevocationSettings.parseRules(
                        "VOLUME_SPIKE:CRITICAL,AUTH_FAILURE_BURST:CRITICAL,REVOKED_KEY_USED:CRITICAL")))
                .withFourEyes(FourEyesSettings.DEFAULTS));
        browser = ConsoleBrowser.start(running.service().port());
        admin = running.api();
        responderToken = token("oncall-alice", "responder");
        viewerToken = token("auditor-victor", "viewer");
        secondAdminToken = token("secops-lead-bob", "admin");
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            try {
                if (running != null) {
                    running.close();
                }
            } finally {
                if (receiver != null) {
                    receiver.close();
                }
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
    void aResponderApprovesAPendingAutomaticRevocationAndTheKeyIsRevoked() {
        // an incident: two protected keys wait for a person, one unprotected key was revoked by the policy, and a
        // reinstatement waits for a second admin
        register("key_live_billing_7f3a", "team-billing", "invoices", false);
        register("key_live_checkout_19c2", "team-checkout", "checkout-web", false);
        register("key_live_search_0b7e", "team-search", "search-api", true);
        publish(incident("inc-billing-spike", "key_live_billing_7f3a", AlertRule.VOLUME_SPIKE, 18_400, 1_200,
                        "18,400 requests in 1 min from 37 IPs, 15x the key's baseline"),
                incident("inc-checkout-auth", "key_live_checkout_19c2", AlertRule.AUTH_FAILURE_BURST, 2_950, 100,
                        "2,950 failed authentications in 1 min from 212 IPs"),
                incident("inc-search-spike", "key_live_search_0b7e", AlertRule.VOLUME_SPIKE, 9_900, 600,
                        "9,900 requests in 1 min, 16x baseline, from 4 countries"));
        String billing = awaitPendingDecision("key_live_billing_7f3a");
        String checkout = awaitPendingDecision("key_live_checkout_19c2");
        await().atMost(TIMEOUT).until(() -> keyStatus("key_live_search_0b7e"), "REVOKED"::equals);
        // a key revoked by hand earlier, whose reinstatement the second admin asked for
        assertOk(admin.withToken(responderToken).post("/api/v1/keys/key_live_partner_acme/revoke",
                "{\"reason\":\"pasted in a public gist\"}"), 200);
        assertOk(admin.withToken(secondAdminToken).post("/api/v1/keys/key_live_partner_acme/reinstate",
                "{\"reason\":\"gist removed, partner rotated the secret\"}"), 202);

        browser.signIn(responderToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/revocations");
        WebElement row = browser.waitFor(decisionRow(billing));
        browser.waitFor(decisionRow(checkout));
        assertThat(row.getText()).contains("key_live_billing_7f3a", "VOLUME_SPIKE", "CRITICAL", "protected key");
        assertThat(row.findElement(By.linkText("open")).getDomAttribute("href")).isEqualTo("#/alerts/inc-billing-spike");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recent"), "key_live_search_0b7e"));
        int waiting = pendingCount();
        assertThat(waiting).isGreaterThanOrEqualTo(3); // these two decisions and the approval request, at least
        browser.until(d -> pendingBadge().equals(String.valueOf(waiting)));
        // a responder decides revocations, not four-eyes requests
        assertThat(browser.waitFor(By.id("approvals")).getText()).contains("key_live_partner_acme", "secops-lead-bob");
        assertThat(browser.driver().findElements(By.cssSelector("#approvals button"))).isEmpty();
        browser.screenshotForDocs("console-revocations", "revocations.png");

        row.findElement(By.cssSelector("button.act-approve")).click();
        browser.waitFor(By.id("decision-dialog-note")).sendKeys("confirmed with team-billing: not their traffic");
        browser.driver().findElement(By.id("decision-dialog-submit")).click();

        browser.until(ExpectedConditions.numberOfElementsToBe(decisionRow(billing), 0));
        assertThat(browser.waitFor(By.id("revocations-status")).getText()).contains("key_live_billing_7f3a is revoked");
        assertThat(keyStatus("key_live_billing_7f3a")).isEqualTo("REVOKED");
        JsonNode decision = assertOk(admin.get("/api/v1/revocations/" + billing), 200).json();
        assertThat(decision.path("status").asText()).isEqualTo("APPROVED");
        assertThat(decision.path("decidedBy").asText()).isEqualTo("token:oncall-alice");
        assertThat(decision.path("note").asText()).isEqualTo("confirmed with team-billing: not their traffic");
        assertThat(pendingCount()).isEqualTo(waiting - 1);
        browser.until(d -> pendingBadge().equals(String.valueOf(waiting - 1)));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recent"), "APPROVED"));
        assertThat(browser.driver().findElements(decisionRow(checkout))).as("the other decision still waits")
                .hasSize(1);

        // Deny keeps the key active
        browser.driver().findElement(decisionRow(checkout)).findElement(By.cssSelector("button.act-deny")).click();
        browser.waitFor(By.id("decision-dialog-note")).sendKeys("their own load test");
        browser.driver().findElement(By.id("decision-dialog-submit")).click();
        browser.until(ExpectedConditions.numberOfElementsToBe(decisionRow(checkout), 0));
        assertThat(assertOk(admin.get("/api/v1/revocations/" + checkout), 200).json().path("status").asText())
                .isEqualTo("DENIED");
        assertThat(keyStatus("key_live_checkout_19c2")).isEqualTo("ACTIVE");
    }

    @Test
    void aViewerSeesTheQueueAndTheDeliveryLogButNoButtons() {
        register("key_live_reports_44d1", "team-reports", "reports", false);
        publish(incident("view-reports-spike", "key_live_reports_44d1", AlertRule.VOLUME_SPIKE, 7_200, 500,
                "7,200 requests in 1 min"));
        String decision = awaitPendingDecision("key_live_reports_44d1");
        String subscription = subscribe("/viewer-hooks", "team-reports");
        register("key_live_reports_9e00", "team-reports", "reports", true);
        assertOk(admin.withToken(responderToken).post("/api/v1/keys/key_live_reports_9e00/revoke",
                "{\"reason\":\"leaked in CI logs\"}"), 200);
        await().atMost(TIMEOUT).until(() -> deliveriesFor(subscription, "key_live_reports_9e00").size() == 1);

        browser.signIn(viewerToken);
        assertThat(browser.waitFor(By.id("role")).getText()).isEqualTo("viewer");
        browser.go("#/revocations");
        WebElement row = browser.waitFor(decisionRow(decision));
        assertThat(row.getText()).contains("key_live_reports_44d1", "protected key");
        assertThat(browser.driver().findElements(By.cssSelector("main button"))).isEmpty();
        assertThat(browser.waitFor(By.id("pending-badge")).getText()).isNotBlank();

        browser.go("#/webhooks/" + subscription);
        browser.waitFor(By.cssSelector("#delivery-rows tr.delivery"));
        assertThat(browser.driver().findElements(By.cssSelector("main button.act-redeliver"))).isEmpty();
        assertThat(assertOk(admin.get("/api/v1/revocations/" + decision), 200).json().path("status").asText())
                .isEqualTo("PENDING_APPROVAL");
    }

    @Test
    void anAdminRedeliversAFailedDeliveryAndTheNewAttemptAppears() {
        register("key_live_ledger_5c21", "team-ledger", "ledger", true);
        String healthy = subscribe("/ledger-audit", "team-ledger");
        receiver.answerByDefault("/ledger-hooks", Answer.status(503));
        String failing = subscribe("/ledger-hooks", "team-ledger");
        assertOk(admin.withToken(responderToken).post("/api/v1/keys/key_live_ledger_5c21/revoke",
                "{\"reason\":\"found in a public repository\"}"), 200);
        // the retry schedule (4 attempts) used up: the endpoint is FAILING and the delivery kept
        JsonNode kept = await().atMost(TIMEOUT).until(() -> deliveriesFor(failing, "key_live_ledger_5c21"),
                list -> list.size() == 1 && list.get(0).path("attempts").asInt() == 4
                        && "FAILING".equals(subscriptionState(failing))).get(0);
        String delivery = kept.path("id").asText();
        await().atMost(TIMEOUT).until(() -> deliveriesFor(healthy, "key_live_ledger_5c21"),
                list -> list.size() == 1 && "DELIVERED".equals(list.get(0).path("status").asText()));

        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));
        browser.go("#/webhooks");
        WebElement sub = browser.waitFor(By.cssSelector("#subscriptions tr[data-id='" + failing + "']"));
        assertThat(sub.getText()).contains("/ledger-hooks", "FAILING", "team-ledger", "503");
        assertThat(sub.getText()).doesNotContain("whsec_");
        browser.screenshot("console-webhooks");
        sub.findElement(By.cssSelector("td.url a")).click();

        browser.waitFor(By.cssSelector("#delivery-rows tr.delivery[data-id='" + delivery + "']"));
        assertThat(attempts(delivery)).hasSize(4).allMatch(a -> a.getText().contains("503"));
        receiver.answerByDefault("/ledger-hooks", Answer.status(200)); // the issuer fixed its endpoint
        browser.driver().findElement(By.cssSelector("#delivery-rows tr.delivery[data-id='" + delivery
                + "'] button.act-redeliver")).click();

        browser.until(d -> attempts(delivery).size() == 5);
        assertThat(attempts(delivery).get(4).getText()).contains("DELIVERED", "200");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#delivery-rows tr.delivery[data-id='" + delivery + "']"), "DELIVERED"));
        JsonNode after = deliveriesFor(failing, "key_live_ledger_5c21").get(0);
        assertThat(after.path("status").asText()).isEqualTo("DELIVERED");
        assertThat(after.path("attempts").asInt()).isEqualTo(5);
        assertThat(receiver.received("/ledger-hooks", "key.revoked")).extracting(WebhookReceiver.Received::webhookId)
                .hasSize(5).containsOnly(delivery);
        browser.screenshotForDocs("console-webhook-deliveries", "webhooks.png");

        // the status filter lives in the URL
        browser.go("#/webhooks/" + failing + "?status=FAILED");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("delivery-rows"), "No delivery FAILED"));
    }

    @Test
    void aSecondAdminApprovesAReinstatementAndTheRequesterMayOnlyWithdraw() {
        assertOk(admin.withToken(responderToken).post("/api/v1/keys/key_live_mobile_2b88/revoke",
                "{\"reason\":\"shipped in an app bundle\"}"), 200);
        String request = assertOk(admin.withToken(secondAdminToken).post("/api/v1/keys/key_live_mobile_2b88/reinstate",
                "{\"reason\":\"bundle pulled, secret rotated\"}"), 202).json().path("id").asText();
        By row = By.cssSelector("#approvals tr[data-id='" + request + "']");

        browser.signIn(secondAdminToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/revocations");
        WebElement own = browser.waitFor(row);
        assertThat(own.findElements(By.cssSelector("button.act-approve"))).as("no approving one's own request")
                .isEmpty();
        assertThat(own.findElement(By.cssSelector("button.act-deny")).getText()).isEqualTo("Withdraw");

        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));
        browser.go("#/revocations");
        browser.waitFor(row).findElement(By.cssSelector("button.act-approve")).click();
        browser.waitFor(By.id("approval-dialog-submit")).click();
        browser.until(ExpectedConditions.numberOfElementsToBe(row, 0));
        assertThat(keyStatus("key_live_mobile_2b88")).isEqualTo("ACTIVE");
        JsonNode decided = assertOk(admin.get("/api/v1/approvals/" + request), 200).json();
        assertThat(decided.path("status").asText()).isEqualTo("APPROVED");
        assertThat(decided.path("decidedBy").asText()).isEqualTo("api:admin");
    }

    @Test
    void theApisRefusalIsShownInTheDialog() {
        assertOk(admin.withToken(responderToken).post("/api/v1/keys/key_live_kiosk_71f0/revoke",
                "{\"reason\":\"kiosk stolen\"}"), 200);
        String request = assertOk(admin.withToken(secondAdminToken).post("/api/v1/keys/key_live_kiosk_71f0/reinstate",
                "{\"reason\":\"kiosk recovered\"}"), 202).json().path("id").asText();
        By row = By.cssSelector("#approvals tr[data-id='" + request + "']");
        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));
        browser.go("#/revocations");
        browser.waitFor(row).findElement(By.cssSelector("button.act-approve")).click();
        browser.waitFor(By.id("approval-dialog-note"));
        // meanwhile the requester withdrew it: the API answers 409 and the dialog says why
        assertOk(admin.withToken(secondAdminToken).post("/api/v1/approvals/" + request + "/deny", "{}"), 200);
        browser.driver().findElement(By.id("approval-dialog-submit")).click();
        assertThat(browser.waitFor(By.cssSelector("#approval-dialog-error .notice.error")).getText())
                .contains("Conflict");
        browser.driver().findElement(By.id("approval-dialog-cancel")).click();
        browser.until(ExpectedConditions.numberOfElementsToBe(By.id("approval-dialog"), 0));
        assertThat(keyStatus("key_live_kiosk_71f0")).isEqualTo("REVOKED");
    }

    @Test
    void hostileKeyIdsAndReasonsRenderAsTextAndRunNothing() {
        // key ids hold no spaces (the API refuses them), so markup without attributes; the reason may hold anything
        String protectedKey = "\"><b>billing<i>7f3a";
        String revokedKey = "<b>ledger<i>5c21";
        String reason = "<b>leaked</b><img src=x onerror=window.kwXss=1><script>window.kwXss=2</script>";
        register(URLEncoder.encode(protectedKey, StandardCharsets.UTF_8).replace("+", "%20"), "team-xss", "xss", false);
        publish(incident("xss-pending", protectedKey, AlertRule.VOLUME_SPIKE, 5_000, 400, "<i>spike</i>"));
        String decision = awaitPendingDecision(URLEncoder.encode(protectedKey, StandardCharsets.UTF_8));
        assertOk(admin.withToken(responderToken).post("/api/v1/keys/"
                + URLEncoder.encode(revokedKey, StandardCharsets.UTF_8).replace("+", "%20") + "/revoke",
                "{\"reason\":\"" + reason.replace("\"", "\\\"") + "\"}"), 200);

        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));
        browser.go("#/revocations");
        WebElement row = browser.waitFor(decisionRow(decision));
        assertThat(row.findElement(By.cssSelector("td.key")).getText()).isEqualTo(protectedKey);
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recent"), reason));
        assertThat(browser.driver().findElement(By.id("recent")).getText()).contains(revokedKey);
        assertThat(browser.driver().findElements(By.cssSelector("main img, main b, main i, main svg, main script")))
                .isEmpty();
        assertThat(browser.script("return window.kwXss === undefined")).isEqualTo(true);
    }

    private static By decisionRow(String id) {
        return By.cssSelector("#decisions tr[data-id='" + id + "']");
    }

    private static List<WebElement> attempts(String delivery) {
        return browser.driver().findElements(By.cssSelector("#delivery-rows tr.attempts[data-delivery='" + delivery
                + "'] tr.attempt"));
    }

    /** What waits for a person according to the API (every test's items: the badge counts them all). */
    private static int pendingCount() {
        return admin.get("/api/v1/revocations?status=PENDING_APPROVAL&limit=500").json().path("items").size()
                + admin.get("/api/v1/approvals?status=pending").json().path("items").size();
    }

    private static String pendingBadge() {
        WebElement badge = browser.driver().findElement(By.id("pending-badge"));
        return badge.isDisplayed() ? badge.getText() : "";
    }

    private static Alert incident(String id, String keyId, AlertRule rule, double observed, double threshold,
                                  String summary) {
        Instant detected = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant windowStart = detected.minus(Duration.ofMinutes(1));
        return new Alert(id, rule, Severity.CRITICAL, keyId, windowStart, windowStart.plus(Duration.ofMinutes(1)),
                detected.minusSeconds(2), detected, observed, threshold, threshold / 4, summary,
                Map.of("topIps", Map.of("198.51.100.23", (int) observed / 2, "203.0.113.77", (int) observed / 4)));
    }

    private static void publish(Alert... alerts) {
        running.kafka().publishAll(running.settings().topics().alerts(), List.of(alerts));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            for (Alert alert : alerts) {
                assertThat(admin.get("/api/v1/alerts/" + alert.id()).status()).as(alert.id()).isEqualTo(200);
            }
        });
    }

    private static void register(String keyId, String owner, String service, boolean autoRevoke) {
        assertOk(admin.put("/api/v1/keys/" + keyId, "{\"owner\":\"" + owner + "\",\"service\":\"" + service
                + "\",\"autoRevoke\":" + autoRevoke + "}"), 201);
    }

    private static String awaitPendingDecision(String keyId) {
        return await().atMost(TIMEOUT).until(() -> admin.get("/api/v1/revocations?status=PENDING_APPROVAL&keyId="
                + keyId).json().path("items"), items -> items.size() == 1).get(0).path("id").asText();
    }

    private static String keyStatus(String keyId) {
        return admin.get("/api/v1/keys/" + keyId).json().path("status").asText();
    }

    /** A subscription for the keys of one owner (webhooks go to the key's owner only). */
    private static String subscribe(String path, String owner) {
        return assertOk(admin.post("/api/v1/webhooks", "{\"url\":\"" + receiver.url(path) + "\",\"owner\":\"" + owner
                + "\",\"eventTypes\":[\"key.revoked\",\"key.reinstated\"]}"), 201).json().path("id").asText();
    }

    private static String subscriptionState(String id) {
        return admin.get("/api/v1/webhooks/" + id).json().path("state").asText();
    }

    private static List<JsonNode> deliveriesFor(String subscription, String keyId) {
        JsonNode items = assertOk(admin.get("/api/v1/webhooks/" + subscription + "/deliveries?limit=200"), 200).json()
                .path("items");
        return java.util.stream.StreamSupport.stream(items.spliterator(), false)
                .filter(d -> keyId.equals(d.path("keyId").asText())).toList();
    }

    private static String token(String name, String role) {
        return assertOk(admin.post("/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}"), 201)
                .json().path("token").asText();
    }
}
