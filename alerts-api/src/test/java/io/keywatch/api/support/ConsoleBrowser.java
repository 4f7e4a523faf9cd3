package io.keywatch.api.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through the Debian {@code chromium} and {@code chromium-driver} packages: one per test
 * class. Selenium is pointed at both binaries, so Selenium Manager never looks for (or downloads) anything. Where they
 * are missing, {@link #start} skips the test class (JUnit assumption) and says how to install them.
 */
public final class ConsoleBrowser implements AutoCloseable {

    public static final String CHROMIUM_ENV = "KEYWATCH_CHROMIUM";
    public static final String CHROMEDRIVER_ENV = "KEYWATCH_CHROMEDRIVER";
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** The system property that lets the browser tests refresh the README's screenshots in {@code docs/console/}. */
    public static final String UPDATE_DOCS = "keywatch.updateDocsScreenshots";

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;

    private ConsoleBrowser(ChromeDriverService service, ChromeDriver driver, Path profile, String baseUrl) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
        this.baseUrl = baseUrl;
    }

    /** Starts Chromium for the console at {@code http://localhost:<port>/}; skips the caller when it is missing. */
    public static ConsoleBrowser start(int port) {
        assumeInstalled();
        File chromium = binary(CHROMIUM_ENV, "/usr/bin/chromium");
        File chromedriver = binary(CHROMEDRIVER_ENV, "/usr/bin/chromedriver");
        Path profile;
        try {
            profile = Files.createTempDirectory("keywatch-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
                .usingAnyFreePort().withSilent(true).build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            delete(profile);
            throw e;
        }
        return new ConsoleBrowser(service, driver, profile, "http://localhost:" + port + "/");
    }

    /** Whether Chromium and ChromeDriver are there: for {@code @EnabledIf}, which reports the skip with its reason. */
    public static boolean installed() {
        return binary(CHROMIUM_ENV, "/usr/bin/chromium").canExecute()
                && binary(CHROMEDRIVER_ENV, "/usr/bin/chromedriver").canExecute();
    }

    /** Skips the caller (a JUnit assumption) when Chromium or ChromeDriver is missing: call it before starting the API. */
    public static void assumeInstalled() {
        File chromium = binary(CHROMIUM_ENV, "/usr/bin/chromium");
        File chromedriver = binary(CHROMEDRIVER_ENV, "/usr/bin/chromedriver");
        Assumptions.assumeTrue(chromium.canExecute() && chromedriver.canExecute(),
                () -> "browser tests skipped: no Chromium at " + chromium + " or no ChromeDriver at " + chromedriver
                        + " (apt-get install chromium chromium-driver, or set " + CHROMIUM_ENV + " and "
                        + CHROMEDRIVER_ENV + ")");
    }

    private static File binary(String env, String fallback) {
        String configured = System.getenv(env);
        return new File(configured == null || configured.isBlank() ? fallback : configured);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a console route ({@code #/alerts?...}, or "" for the root). */
    public void open(String hash) {
        driver.get(baseUrl + hash);
    }

    /** A fresh tab state: no token in sessionStorage, then the sign-in screen, then signed in with {@code token}. */
    public void signIn(String token) {
        signOut();
        WebElement input = waitFor(By.id("token"));
        input.sendKeys(token);
        driver.findElement(By.id("signin-submit")).click();
    }

    public void signOut() {
        open("");
        driver.executeScript("sessionStorage.clear()");
        driver.navigate().refresh();
        waitFor(By.id("signin"));
    }

    /** Navigates within the page (a hash change, no reload), as a link would. */
    public void go(String hash) {
        driver.executeScript("location.hash = arguments[0]", hash);
    }

    public void reload() {
        driver.navigate().refresh();
    }

    public WebElement waitFor(By locator) {
        return until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    public <T> T until(Function<? super WebDriver, T> condition) {
        // the inbox re-renders rows as alerts change: an element found a moment ago may be gone, so look again
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Types keys where the page listens for shortcuts (the document, nothing focused). */
    public void press(CharSequence... keys) {
        driver.executeScript("document.activeElement && document.activeElement.blur()");
        new Actions(driver).sendKeys(keys).perform();
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /**
     * Runs {@code js} in every page this browser loads from now on, before the page's own scripts (DevTools
     * {@code Page.addScriptToEvaluateOnNewDocument}); returns the id for {@link #removeOnLoad}.
     */
    public String addOnLoad(String js) {
        return String.valueOf(driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", js))
                .get("identifier"));
    }

    public void removeOnLoad(String id) {
        driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
    }

    /** Runs asynchronous JavaScript: the last argument is the callback that ends it with a result. */
    public Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    /** Saves a PNG of the window under {@code target/screenshots/} (for the README); returns its path. */
    public Path screenshot(String name) {
        Path dir = Path.of("target", "screenshots");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A screenshot that the README shows: saved as {@link #screenshot}, and copied over {@code docs/console/<docName>}
     * only when {@value #UPDATE_DOCS} is {@code true} (a test run must not rewrite files of the checkout); the README's
     * Console section gives the command.
     */
    public Path screenshotForDocs(String name, String docName) {
        Path shot = screenshot(name);
        if (Boolean.parseBoolean(System.getProperty(UPDATE_DOCS, System.getenv("KEYWATCH_UPDATE_DOCS_SCREENSHOTS")))) {
            Path docs = Path.of("..", "docs", "console");
            try {
                Files.createDirectories(docs);
                Files.copy(shot, docs.resolve(docName), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shot;
    }

    /**
     * Fails when, since the last look, the page ran into the Content-Security-Policy (an inline script or style it
     * refused) or threw an uncaught error: every browser test class checks this after each test.
     */
    public void assertNoRefusalOrUncaughtError() {
        org.assertj.core.api.Assertions.assertThat(browserErrors()).as("browser console errors")
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Uncaught"));
    }

    /**
     * The SEVERE messages of the browser's console since the last call: uncaught errors and Content-Security-Policy
     * violations (an inline script or style the policy refused) show up here. Failed fetches (a 401 on purpose) too.
     */
    public List<String> browserErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the browser profile " + dir, e);
        }
    }
}
