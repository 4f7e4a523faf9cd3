package io.keywatch.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.support.ConsoleBrowser;
import io.keywatch.api.support.OpenApiConformance;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The reference page at {@code /docs/} in headless Chromium: the bundled Swagger UI renders every operation of the
 * document under the console's Content-Security-Policy (no refusal, no uncaught error), and the console links to it.
 * Skipped where Chromium or ChromeDriver is missing ({@link ConsoleBrowser}).
 */
@ExtendWith(SharedInfra.class)
@EnabledIf(value = "io.keywatch.api.support.ConsoleBrowser#installed", disabledReason = "browser tests skipped: no "
        + "Chromium or ChromeDriver (apt-get install chromium chromium-driver)")
class ApiDocsBrowserTest {

    private static RunningApi running;
    private static ConsoleBrowser browser;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        ConsoleBrowser.assumeInstalled();
        running = RunningApi.start(postgres, broker);
        browser = ConsoleBrowser.start(running.service().port());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (running != null) {
            running.close();
        }
    }

    @Test
    void theReferencePageRendersEveryOperationUnderTheConsolePolicy() {
        browser.open("docs/");
        browser.waitFor(By.cssSelector(".opblock"));
        List<WebElement> operations = browser.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(".opblock-summary-path"));
            return found.size() >= OpenApiConformance.load().operations().size() ? found : null;
        });
        assertThat(operations.stream().map(WebElement::getText))
                .contains("/api/v1/alerts", "/api/v1/keys/{keyId}/revoke", "/openapi.json");
        assertThat(browser.driver().findElement(By.cssSelector(".info .title")).getText()).contains("keywatch API");
        browser.assertNoRefusalOrUncaughtError();
    }

    @Test
    void theConsoleLinksToTheReferencePage() {
        browser.signIn(TestServices.TOKEN);
        WebElement link = browser.waitFor(By.id("api-docs-link"));
        assertThat(link.getAttribute("href")).endsWith("/docs/");
        browser.assertNoRefusalOrUncaughtError();
    }
}
