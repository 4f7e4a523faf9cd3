package io.keywatch.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KeywatchVersionTest {

    @Test
    void versionIsTheBuildsNotAHardCodedOne() {
        // the filtered resource holds the Maven project's version: never the unfiltered placeholder or "unknown"
        assertThat(KeywatchVersion.get()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new KeywatchCli()).setOut(new PrintWriter(out)).execute("--version");
        assertThat(exit).isZero();
        assertThat(out.toString().strip()).isEqualTo("keywatch " + KeywatchVersion.get());
    }
}
