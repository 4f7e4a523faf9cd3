package io.keywatch.standalone.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.standalone.Standalone;
import io.keywatch.standalone.StandaloneSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code keywatch canary} against a running keywatch: mints through the API, and never shows the token. */
class CanaryCommandTest {

    private static final String TOKEN = "canary-cli-admin-token";

    @TempDir
    static Path dataDir;

    private static Standalone keywatch;

    @BeforeAll
    static void startKeywatch() throws InterruptedException {
        keywatch = Standalone.start(new StandaloneSettings(dataDir, 0, 0, 0, 0), Map.of("KEYWATCH_ADMIN_TOKEN", TOKEN));
        assertThat(keywatch.streams().awaitRunning(Duration.ofSeconds(90))).isTrue();
    }

    @AfterAll
    static void stopKeywatch() {
        if (keywatch != null) {
            keywatch.close();
        }
    }

    @Test
    void mintsACanaryAndPrintsItsId() {
        Run run = run(Map.of("KEYWATCH_API_URL", url(), "KEYWATCH_API_TOKEN", TOKEN),
                "--planted-at", "laptop-7:~/.aws/credentials", "--prefix", "ak_", "--owner", "team-security",
                "--scope", "objects:read");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).matches("ak_[0-9A-Za-z]{16,64}");
    }

    @Test
    void saysWhatIsWrongWithoutShowingTheToken() {
        Run wrongToken = run(Map.of("KEYWATCH_API_URL", url(), "KEYWATCH_API_TOKEN", "not-the-token-4711"),
                "--planted-at", "x");
        assertThat(wrongToken.exit()).isEqualTo(1);
        assertThat(wrongToken.err()).contains("401").doesNotContain("not-the-token-4711");

        Run noToken = run(Map.of("KEYWATCH_API_URL", url()), "--planted-at", "x");
        assertThat(noToken.exit()).isEqualTo(2);
        assertThat(noToken.err()).contains("KEYWATCH_API_TOKEN");

        Run refused = run(Map.of("KEYWATCH_API_URL", url(), "KEYWATCH_API_TOKEN", TOKEN),
                "--planted-at", "x", "--prefix", "a b");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("400").contains("prefix");

        assertThat(run(Map.of(), "--prefix", "pk_").exit()).as("--planted-at is required").isEqualTo(2);
    }

    private static String url() {
        return "http://localhost:" + keywatch.httpPort();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        CanaryCommand command = new CanaryCommand();
        command.baseEnv = env;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
