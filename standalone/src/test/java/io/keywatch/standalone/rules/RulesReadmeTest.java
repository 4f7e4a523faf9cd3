package io.keywatch.standalone.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.streams.detect.Detectors;
import io.keywatch.streams.detect.RuleTables;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's rule tables are the generated ones, and {@code keywatch rules} prints and rewrites them. */
class RulesReadmeTest {

    /** Surefire runs in the module's folder; the README is the project's. */
    private static final Path README = Path.of("..", "README.md");

    private final RuleTables tables = new RuleTables(Detectors.all());

    @Test
    void theReadmeTablesAreTheGeneratedOnes() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);

        assertThat(tables.updateReadme(readme))
                .as("README.md's rule tables are stale: regenerate them with "
                        + "`java -jar standalone/target/keywatch.jar rules --write-readme README.md` (after "
                        + "`mvn -B -q -DskipTests package`)")
                .isEqualTo(readme);
    }

    @Test
    void rulesPrintsBothTablesAndWriteReadmeReplacesOnlyTheMarkedSections(@TempDir Path dir) throws Exception {
        StringWriter printed = new StringWriter();
        int exit = new CommandLine(new RulesCommand()).setOut(new PrintWriter(printed)).execute();

        assertThat(exit).isZero();
        assertThat(printed.toString()).contains(tables.rules()).contains(tables.settings())
                .contains("| `VOLUME_SPIKE` |").contains("`KEYWATCH_DETECT_VOLUME_FLOOR`");

        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "intro\n<!-- rules:begin -->\nold rules\n<!-- rules:end -->\nmiddle\n"
                + "<!-- rule-settings:begin -->\nold settings\n<!-- rule-settings:end -->\nend\n");
        exit = new CommandLine(new RulesCommand()).setOut(new PrintWriter(new StringWriter()))
                .execute("--write-readme", readme.toString());

        assertThat(exit).isZero();
        assertThat(Files.readString(readme)).isEqualTo("intro\n<!-- rules:begin -->\n" + tables.rules()
                + "<!-- rules:end -->\nmiddle\n<!-- rule-settings:begin -->\n" + tables.settings()
                + "<!-- rule-settings:end -->\nend\n");
    }

    @Test
    void aReadmeWithoutTheMarkersIsAnErrorNotASilentNoOp(@TempDir Path dir) throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "no markers here\n");
        StringWriter err = new StringWriter();

        int exit = new CommandLine(new RulesCommand()).setErr(new PrintWriter(err))
                .execute("--write-readme", readme.toString());

        assertThat(exit).isNotZero();
        assertThat(Files.readString(readme)).isEqualTo("no markers here\n");
    }
}
