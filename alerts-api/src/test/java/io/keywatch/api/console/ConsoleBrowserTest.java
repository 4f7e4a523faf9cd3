package io.keywatch.api.console;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ConsoleBrowser;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real (headless) Chromium against the real API on embedded PostgreSQL and Kafka; alerts arrive
 * through the real intake (signed records on the alerts topic). One browser and one API for the class; each test has
 * its own key ids. Skipped where Chromium or ChromeDriver is missing ({@link ConsoleBrowser}).
 */
@ExtendWith(SharedInfra.class)
@EnabledIf(value = "io.keywatch.api.support.ConsoleBrowser#installed", disabledReason = "browser tests skipped: no "
        + "Chromium or ChromeDriver (apt-get install chromium chromium-driver, or set KEYWATCH_CHROMIUM and "
        + "KEYWATCH_CHROMEDRIVER)")
class ConsoleBrowserTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));

    private static RunningApi running;
    private static ConsoleBrowser browser;
    private static ApiClient admin;
    private static String responderToken;
    private static String viewerToken;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        ConsoleBrowser.assumeInstalled();
        running = RunningApi.start(postgres, broker);
        browser = ConsoleBrowser.start(running.service().port());
        admin = running.api();
        responderToken = token("console-responder", "responder");
        viewerToken = token("console-viewer", "viewer");
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

    @AfterEach
    void nothingThePolicyRefusedAndNoUncaughtError() {
        if (browser != null) {
            browser.assertNoRefusalOrUncaughtError();
        }
    }

    @Test
    void signsInWithATokenAndSeesTheInbox() {
        publish(alert("inbox-1", "inbox-key", AlertRule.VOLUME_SPIKE, Severity.MEDIUM, T0.plusSeconds(1)),
                alert("inbox-2", "inbox-key", AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL, T0.plusSeconds(2)));

        browser.signIn(TestServices.TOKEN);

        assertThat(browser.waitFor(By.id("whoami")).getText()).contains("api:admin").contains("admin");
        browser.go("#/alerts?keyId=inbox-key");
        waitForRow("inbox-1");
        assertThat(rowIds()).containsExactly("inbox-2", "inbox-1");
        assertThat(row("inbox-2").findElement(By.cssSelector(".sev")).getText()).isEqualTo("CRITICAL");
        browser.screenshot("console-inbox");
    }

    @Test
    void withoutAConsoleSsoClientTheSignInScreenHasNoSsoButton() {
        browser.signOut();
        // the sign-in screen marks what GET /console/config.json said once it answered
        browser.waitFor(By.cssSelector("#signin[data-sso='off']"));
        assertThat(browser.driver().findElements(By.id("signin-sso"))).isEmpty();
        assertThat(browser.driver().findElements(By.id("signin-sso-section"))).isEmpty();
    }

    @Test
    void aWrongTokenShowsTheSignInErrorAndARevokedOneSignsOut() {
        browser.signIn("kw_notatokn_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertThat(browser.waitFor(By.id("signin-error")).getText()).contains("Sign-in refused", "Unauthorized");

        JsonNode created = assertOk(admin.post("/api/v1/tokens",
                "{\"name\":\"console-short-lived\",\"role\":\"viewer\"}"), 201).json();
        browser.signIn(created.path("token").asText());
        assertThat(browser.waitFor(By.id("role")).getText()).isEqualTo("viewer");
        assertOk(admin.delete("/api/v1/tokens/" + created.path("id").asText()), 200);
        browser.go("#/keys"); // the next call answers 401: back to sign-in, with the reason
        assertThat(browser.waitFor(By.id("signin-error")).getText()).contains("Sign in again", "Unauthorized");
        assertThat(browser.script("return sessionStorage.getItem('keywatch.token')")).isNull();
    }

    @Test
    void triagesByKeyboardAndTheApiAgrees() {
        publish(alert("kb-1", "kb-key", AlertRule.VOLUME_SPIKE, Severity.HIGH, T0.plusSeconds(1)),
                alert("kb-2", "kb-key", AlertRule.IP_FANOUT, Severity.HIGH, T0.plusSeconds(2)));
        browser.signIn(responderToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/alerts?keyId=kb-key");
        waitForRow("kb-1");
        browser.until(d -> "kb-2".equals(selectedId()));

        browser.press("j");
        browser.until(d -> "kb-1".equals(selectedId()));
        browser.press("a");
        waitForStatus("kb-1", "ACKNOWLEDGED");
        JsonNode acknowledged = assertOk(admin.get("/api/v1/alerts/kb-1"), 200).json();
        assertThat(acknowledged.path("status").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(acknowledged.path("acknowledgedBy").asText()).isEqualTo("token:console-responder");

        browser.press("r");
        WebElement resolution = browser.waitFor(By.id("resolve-resolution"));
        new Select(resolution).selectByValue("false_positive");
        browser.driver().findElement(By.id("resolve-note")).sendKeys("load test", Keys.ENTER);
        waitForStatus("kb-1", "RESOLVED");
        JsonNode resolved = assertOk(admin.get("/api/v1/alerts/kb-1"), 200).json();
        assertThat(resolved.path("resolution").asText()).isEqualTo("false_positive");
        assertThat(resolved.path("history").toString()).contains("load test");

        // Esc cancels: the other alert stays as it was
        browser.press("k");
        browser.until(d -> "kb-2".equals(selectedId()));
        browser.press("r");
        browser.waitFor(By.id("resolve-resolution"));
        browser.press(Keys.ESCAPE);
        browser.until(ExpectedConditions.numberOfElementsToBe(By.id("resolve-dialog"), 0));
        assertThat(assertOk(admin.get("/api/v1/alerts/kb-2"), 200).json().path("status").asText()).isEqualTo("OPEN");

        // o opens the selected alert, K its key
        browser.press("o");
        assertThat(browser.waitFor(By.cssSelector("#alert-detail h1")).getText()).contains("IP_FANOUT on kb-key");
        browser.press("K");
        browser.until(d -> d.getCurrentUrl().endsWith("#/keys/kb-key"));
        assertThat(browser.waitFor(By.id("key-id")).getText()).isEqualTo("kb-key");
    }

    @Test
    void silencesWithTheMouse() {
        publish(alert("mouse-1", "mouse-key", AlertRule.NEW_COUNTRY, Severity.MEDIUM, T0.plusSeconds(1)));
        browser.signIn(responderToken);
        browser.waitFor(By.id("whoami"));
        browser.go("#/alerts?keyId=mouse-key");
        waitForRow("mouse-1").findElement(By.cssSelector("button.act-silence")).click();
        browser.waitFor(By.id("silence-comment")).sendKeys("customer on a trip");
        browser.driver().findElement(By.id("silence-dialog-submit")).click();
        browser.until(d -> row("mouse-1").findElements(By.cssSelector(".tag")).size() == 1);

        JsonNode silences = assertOk(admin.get("/api/v1/silences"), 200).json();
        assertThat(silences.toString()).contains("mouse-key").contains("customer on a trip");
        assertThat(assertOk(admin.get("/api/v1/alerts/mouse-1"), 200).json().path("silenced").asBoolean()).isTrue();
    }

    @Test
    void filtersLiveInTheUrlAndSurviveAReload() {
        publish(alert("filter-1", "filter-key", AlertRule.VOLUME_SPIKE, Severity.LOW, T0.plusSeconds(1)),
                alert("filter-2", "filter-key", AlertRule.AUTH_FAILURE_BURST, Severity.HIGH, T0.plusSeconds(2)),
                alert("filter-3", "filter-key", AlertRule.NEW_COUNTRY, Severity.CRITICAL, T0.plusSeconds(3)));
        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));

        browser.open("#/alerts?keyId=filter-key&severity=HIGH");
        waitForRow("filter-2");
        assertThat(rowIds()).containsExactly("filter-3", "filter-2");
        browser.reload();
        waitForRow("filter-2");
        assertThat(rowIds()).containsExactly("filter-3", "filter-2");
        assertThat(new Select(browser.driver().findElement(By.id("filter-severity")))
                .getFirstSelectedOption().getText()).isEqualTo("HIGH");
        assertThat(browser.driver().findElement(By.id("filter-keyId")).getDomProperty("value"))
                .isEqualTo("filter-key");

        // choosing a filter puts it in the URL
        new Select(browser.driver().findElement(By.id("filter-rule"))).selectByValue("NEW_COUNTRY");
        browser.until(d -> d.getCurrentUrl().contains("rule=NEW_COUNTRY"));
        browser.until(d -> rowIds().equals(List.of("filter-3")));
    }

    @Test
    void aViewerSeesNoTriageButtonsAndItsShortcutsChangeNothing() {
        publish(alert("view-1", "view-key", AlertRule.SCOPE_VIOLATION, Severity.HIGH, T0.plusSeconds(1)));
        browser.signIn(viewerToken);
        assertThat(browser.waitFor(By.id("role")).getText()).isEqualTo("viewer");
        browser.go("#/alerts?keyId=view-key");
        waitForRow("view-1");
        browser.until(d -> "view-1".equals(selectedId()));
        // the list page asks for the compact list: its rows need no evidence or measurements
        assertThat(String.valueOf(browser.script(
                "return performance.getEntriesByType('resource').map(e => e.name).join(' ')")))
                .containsPattern("/api/v1/alerts\\?[^ ]*view=summary");

        assertThat(row("view-1").findElements(By.tagName("button"))).isEmpty();
        browser.press("a");
        browser.press("r");
        browser.press("s");
        assertThat(browser.driver().findElements(By.tagName("dialog"))).isEmpty();
        JsonNode unchanged = assertOk(admin.get("/api/v1/alerts/view-1"), 200).json();
        assertThat(unchanged.path("status").asText()).isEqualTo("OPEN");
        assertThat(unchanged.path("history")).hasSize(1);

        // the other pages open for a viewer too
        for (String page : List.of("keys", "revocations", "webhooks")) {
            browser.driver().findElement(By.id("nav-" + page)).click();
            browser.waitFor(By.cssSelector("main table.data"));
            assertThat(browser.driver().findElements(By.cssSelector("main .notice.error"))).as(page).isEmpty();
        }

        browser.go("#/alerts/view-1");
        browser.waitFor(By.cssSelector("#alert-detail h1"));
        assertThat(browser.driver().findElements(By.cssSelector("#alert-detail button"))).isEmpty();
    }

    @Test
    void hostileStringsInAnAlertRenderAsTextAndRunNothing() {
        String keyId = "<img/src=x/onerror=window.kwXss=1>";
        String summary = "<img src=x onerror=window.kwXss=2> <b>bold</b>";
        Alert hostile = new Alert("xss-1", AlertRule.KEY_IN_URL, Severity.HIGH, keyId, T0, T0.plusSeconds(60),
                T0.plusSeconds(9), T0.plusSeconds(10), 5, 1, 0.0, summary,
                Map.of("topPaths", Map.of("/<script>window.kwXss=3</script>", 5),
                        "userAgents", Map.of("\"><svg onload=window.kwXss=4>", 5)));
        publish(hostile);
        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));
        browser.go("#/alerts?keyId=" + URLEncoder.encode(keyId, StandardCharsets.UTF_8));
        WebElement row = waitForRow("xss-1");

        assertThat(row.findElement(By.cssSelector("td.key")).getText()).isEqualTo(keyId);
        assertThat(row.findElement(By.cssSelector("td.summary")).getText()).isEqualTo(summary);
        assertThat(browser.driver().findElements(By.cssSelector("main img, main b, main svg, main script"))).isEmpty();

        row.findElement(By.cssSelector("td.summary a")).click();
        assertThat(browser.waitFor(By.cssSelector("#alert-detail h1")).getText()).contains(summary);
        assertThat(browser.driver().findElement(By.id("alert-evidence")).getText())
                .contains("/<script>window.kwXss=3</script>").contains("<svg onload=window.kwXss=4>");
        assertThat(browser.driver().findElements(By.cssSelector("main img, main b, main svg, main script"))).isEmpty();
        assertThat(browser.script("return window.kwXss === undefined")).isEqualTo(true);
        browser.screenshot("console-alert-hostile");
    }

    @Test
    void loadsMoreAlertsPageByPageAndOpensOneWithItsHistory() {
        // one rule on one key folds into one alert: 55 keys, in a time window of their own
        Instant window = T0.minus(Duration.ofDays(3));
        Alert[] many = new Alert[55];
        for (int i = 0; i < many.length; i++) {
            many[i] = alert(String.format("page-%02d", i), String.format("page-key-%02d", i), AlertRule.VOLUME_SPIKE,
                    Severity.LOW, window.plusSeconds(i));
        }
        publish(many);
        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));
        browser.go("#/alerts?since=" + window + "&until=" + window.plus(Duration.ofHours(1)));
        waitForRow("page-54");
        browser.until(d -> rowIds().size() == 50);
        browser.waitFor(By.id("load-more")).click();
        browser.until(d -> rowIds().size() == 55);
        assertThat(rowIds().get(54)).isEqualTo("page-00");
        assertThat(browser.driver().findElement(By.id("load-more")).isDisplayed()).isFalse();

        browser.press("?");
        assertThat(browser.waitFor(By.id("help")).getText()).contains("Keyboard shortcuts", "acknowledge");
        browser.screenshot("console-help");
        browser.press(Keys.ESCAPE);
        browser.until(ExpectedConditions.numberOfElementsToBe(By.id("help"), 0));

        browser.press("o");
        assertThat(browser.waitFor(By.cssSelector("#alert-detail h1")).getText()).contains("VOLUME_SPIKE on page-key-54");
        assertThat(browser.driver().findElement(By.cssSelector("#alert-history table.data")).getText())
                .contains("opened").contains("system");
        browser.screenshot("console-alert");
    }

    @Test
    void theStreamReaderParsesEventsSplitAnywhere() {
        browser.signOut(); // the module needs no sign-in
        // chunks cut inside a CRLF, a multi-byte character and a field; a heartbeat; multi-line data; an id with NUL
        // (ignored, as the spec says); CR-only line ends; a last event without its blank line (never dispatched)
        Object events = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/sse.js').then(async ({ readEvents }) => {
                  const text = (s) => new TextEncoder().encode(s);
                  const chunks = [text(': keepalive\\r'), text('\\nid: 7\\r\\nevent: alert\\r'),
                    text('\\ndata: {"a":\\n'), text('data: 1}\\n\\nid: 8\\0\\nevent: reset\\ndata: caf'),
                    new Uint8Array([0xC3]), new Uint8Array([0xA9]), text('\\n\\ndata:x\\rdata\\r\\r'),
                    text('data: unfinished')];
                  const body = new ReadableStream({ start(c) { chunks.forEach((ch) => c.enqueue(ch)); c.close(); } });
                  const events = [];
                  await readEvents(body, (e) => events.push(e));
                  done(JSON.stringify(events));
                }).catch((e) => done('error: ' + e));
                """);
        assertThat(events).isEqualTo("[{\"id\":\"7\",\"event\":\"alert\",\"data\":\"{\\\"a\\\":\\n1}\"},"
                + "{\"id\":null,\"event\":\"reset\",\"data\":\"café\"},"
                + "{\"id\":null,\"event\":\"message\",\"data\":\"x\\n\"}]");
    }

    @Test
    void theStreamReconnectsWithBackoffAndLastEventIdAndHonoursRetryAfter() {
        browser.signOut();
        // fetch replaced for the module: a stream that ends after one event, a 503 "full" with Retry-After, then one
        // that stays open
        String result = (String) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                sessionStorage.setItem('keywatch.token', 'kw_stream_test');
                import('/js/sse.js').then(({ subscribe }) => {
                  const calls = [], states = [], events = [];
                  const realFetch = window.fetch;
                  window.fetch = async (path, init) => {
                    calls.push({ path, lastId: init.headers['Last-Event-ID'] ?? null, auth: init.headers.Authorization,
                      at: Date.now() });
                    if (calls.length === 1) return new Response('id: 41\\nevent: alert\\ndata: {}\\n\\n');
                    if (calls.length === 2) return new Response('{}', { status: 503, headers: { 'Retry-After': '1' } });
                    return new Response(new ReadableStream({ start() {} }));
                  };
                  const sub = subscribe('/api/v1/alerts/stream?severity=HIGH', {
                    onEvent: (e) => events.push(e),
                    onState: (s) => {
                      states.push(s);
                      if (calls.length === 3 && s === 'live') {
                        sub.close();
                        window.fetch = realFetch;
                        sessionStorage.clear();
                        done(JSON.stringify({ calls, states, events,
                          retryWaitMs: calls[2].at - calls[1].at }));
                      }
                    },
                  });
                }).catch((e) => done('error: ' + e));
                """);
        JsonNode run = readJson(result);
        assertThat(run.path("calls")).hasSize(3);
        assertThat(run.at("/calls/0/lastId").isNull()).isTrue();
        assertThat(run.at("/calls/1/lastId").asText()).isEqualTo("41");
        assertThat(run.at("/calls/2/lastId").asText()).isEqualTo("41");
        assertThat(run.at("/calls/2/auth").asText()).isEqualTo("Bearer kw_stream_test");
        assertThat(run.at("/calls/2/path").asText()).isEqualTo("/api/v1/alerts/stream?severity=HIGH");
        assertThat(run.path("retryWaitMs").asLong()).as("Retry-After: 1").isBetween(900L, 5000L);
        assertThat(run.path("states").toString()).isEqualTo("[\"connecting\",\"live\",\"reconnecting\","
                + "\"reconnecting\",\"reconnecting\",\"live\"]");
        assertThat(run.at("/events/0/id").asText()).isEqualTo("41");
    }

    @Test
    void aPlannedEndReconnectsAtOnceWithLastEventIdAndShowsNoReconnect() {
        browser.signOut();
        // the server's end of a stream's lifetime (KEYWATCH_SSE_MAX_STREAM_SECONDS), then a stream that stays open
        String result = (String) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                sessionStorage.setItem('keywatch.token', 'kw_stream_test');
                import('/js/sse.js').then(({ subscribe }) => {
                  const calls = [], states = [], events = [];
                  const realFetch = window.fetch;
                  window.fetch = async (path, init) => {
                    calls.push({ lastId: init.headers['Last-Event-ID'] ?? null, at: Date.now() });
                    if (calls.length === 1) return new Response('id: 41\\nevent: alert\\ndata: {}\\n\\n'
                      + 'retry: 500\\nevent: end\\ndata: {"reason":"time is up"}\\n\\n');
                    return new Response(new ReadableStream({ start() {} }));
                  };
                  const sub = subscribe('/api/v1/alerts/stream', {
                    onEvent: (e) => events.push(e),
                    onState: (s) => states.push(s),
                  });
                  const check = () => {
                    if (calls.length < 2) { setTimeout(check, 20); return; }
                    setTimeout(() => {
                      sub.close();
                      window.fetch = realFetch;
                      sessionStorage.clear();
                      done(JSON.stringify({ calls, states, events, waitMs: calls[1].at - calls[0].at }));
                    }, 100);
                  };
                  check();
                }).catch((e) => done('error: ' + e));
                """);
        JsonNode run = readJson(result);
        assertThat(run.path("calls")).hasSize(2);
        assertThat(run.at("/calls/1/lastId").asText()).isEqualTo("41");
        assertThat(run.path("waitMs").asLong()).as("no backoff").isLessThan(900L);
        assertThat(run.path("states").toString()).isEqualTo("[\"connecting\",\"live\",\"live\"]");
        assertThat(run.path("events")).as("the end is not an event for the page").hasSize(1);
    }

    @Test
    void anAlertAcknowledgedUnderStatusOpenLeavesTheInboxLive() {
        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));
        browser.go("#/alerts?keyId=left-live-key&status=OPEN");
        browser.until(ExpectedConditions.textToBe(By.id("live"), "● live"));
        browser.script("window.kwSamePage = true");
        Alert alert = alert("left-live-1", "left-live-key", AlertRule.VOLUME_SPIKE, Severity.HIGH, Instant.now());
        publish(alert);
        waitForRow("left-live-1");

        assertOk(admin.post("/api/v1/alerts/left-live-1/acknowledge", "{}"), 200);
        browser.until(d -> rowIds().isEmpty());
        assertThat(browser.script("return window.kwSamePage === true")).as("no reload").isEqualTo(true);
    }

    @Test
    void theInboxFollowsTheStreamCreatedUpdatedAndResetWithoutAReload() throws Exception {
        // the stream route is another branch's: here the page's fetch of /api/v1/alerts/stream gets a stream the test
        // writes to, in the contract's format; everything else is the real API
        String fake = browser.addOnLoad("""
                (() => {
                  const realFetch = window.fetch.bind(window);
                  const stream = window.kwStream = { opened: 0 };
                  window.fetch = (input, init) => {
                    const url = typeof input === 'string' ? input : input.url;
                    if (!url.startsWith('/api/v1/alerts/stream')) return realFetch(input, init);
                    stream.opened += 1;
                    stream.url = url;
                    stream.lastId = init.headers['Last-Event-ID'] ?? null;
                    const body = new ReadableStream({ start(c) { stream.controller = c; } });
                    return Promise.resolve(new Response(body, { headers: { 'Content-Type': 'text/event-stream' } }));
                  };
                  stream.send = (text) => stream.controller.enqueue(new TextEncoder().encode(text));
                })();
                """);
        try {
            publish(alert("fake-1", "fake-live-key", AlertRule.VOLUME_SPIKE, Severity.HIGH, T0.plusSeconds(1)));
            browser.signIn(TestServices.TOKEN);
            browser.waitFor(By.id("whoami"));
            browser.go("#/alerts?keyId=fake-live-key&severity=HIGH");
            waitForRow("fake-1");
            browser.until(ExpectedConditions.textToBe(By.id("live"), "● live"));
            assertThat(browser.script("return window.kwStream.url"))
                    .isEqualTo("/api/v1/alerts/stream?keyId=fake-live-key&severity=HIGH");
            browser.script("window.kwSamePage = true");
            Object streams = browser.script("return window.kwStream.opened");
            ObjectMapper json = new ObjectMapper();

            ObjectNode changed = (ObjectNode) assertOk(admin.get("/api/v1/alerts/fake-1"), 200).json();
            changed.remove("history");
            changed.put("status", "ACKNOWLEDGED");
            send("id: 1\nevent: alert\ndata: " + json.writeValueAsString(Map.of("change", "updated", "alert", changed))
                    + "\n\n");
            waitForStatus("fake-1", "ACKNOWLEDGED");

            ObjectNode created = changed.deepCopy().put("id", "fake-new").put("status", "OPEN")
                    .put("summary", "arrived live");
            send(": keepalive\n\nevent: alert\ndata: not json\n\nevent: alert\ndata: {\"change\":\"created\"}\n\n"
                    + "id: 2\nevent: alert\ndata: " + json.writeValueAsString(Map.of("change", "created",
                    "alert", created)) + "\n\n");
            waitForRow("fake-new");
            assertThat(rowIds()).containsExactly("fake-new", "fake-1");
            assertThat(row("fake-new").getDomAttribute("class")).contains("fresh");
            browser.screenshot("console-live");

            // reset: the list is read again from the API (where fake-new never was, and fake-2 now is)
            publish(alert("fake-2", "fake-live-key", AlertRule.IP_FANOUT, Severity.CRITICAL, T0.plusSeconds(2)));
            send("event: reset\ndata: {\"reason\":\"test\"}\n\n");
            browser.until(d -> rowIds().equals(List.of("fake-2", "fake-1")));
            assertThat(browser.script("return window.kwSamePage === true")).as("no reload").isEqualTo(true);
            assertThat(browser.script("return window.kwStream.opened")).as("no new subscription").isEqualTo(streams);
        } finally {
            browser.removeOnLoad(fake);
        }
    }

    private static void send(String events) {
        browser.script("window.kwStream.send(arguments[0])", events);
    }

    @Test
    void aNewAlertArrivesLiveWithoutAReload() {
        browser.signIn(TestServices.TOKEN);
        browser.waitFor(By.id("whoami"));
        browser.go("#/alerts?keyId=live-key");
        browser.until(ExpectedConditions.textToBe(By.id("live"), "● live"));
        browser.script("window.kwSamePage = true");

        publish(alert("live-1", "live-key", AlertRule.VOLUME_SPIKE, Severity.HIGH, Instant.now()));

        WebElement row = waitForRow("live-1");
        assertThat(row.getDomAttribute("class")).contains("fresh");
        assertThat(browser.script("return window.kwSamePage === true")).as("no reload").isEqualTo(true);
        browser.screenshot("console-live");
    }

    private static void publish(Alert... alerts) {
        running.kafka().publishAll(running.settings().topics().alerts(), List.of(alerts));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (Alert alert : alerts) {
                assertThat(admin.get("/api/v1/alerts/" + URLEncoder.encode(alert.id(), StandardCharsets.UTF_8))
                        .status()).as(alert.id()).isEqualTo(200);
            }
        });
    }

    private static JsonNode readJson(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String token(String name, String role) {
        return assertOk(admin.post("/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}"), 201)
                .json().path("token").asText();
    }

    private static WebElement row(String id) {
        return browser.driver().findElement(By.cssSelector("#alert-rows tr[data-id='" + id + "']"));
    }

    private static WebElement waitForRow(String id) {
        return browser.waitFor(By.cssSelector("#alert-rows tr[data-id='" + id + "']"));
    }

    private static void waitForStatus(String id, String status) {
        browser.until(d -> row(id).findElement(By.cssSelector("td.status")).getText().startsWith(status));
    }

    private static List<String> rowIds() {
        return browser.driver().findElements(By.cssSelector("#alert-rows tr[data-id]")).stream()
                .map(tr -> tr.getDomAttribute("data-id")).toList();
    }

    private static String selectedId() {
        List<WebElement> selected = browser.driver().findElements(By.cssSelector("#alert-rows tr.selected"));
        return selected.isEmpty() ? null : selected.get(0).getDomAttribute("data-id");
    }
}
