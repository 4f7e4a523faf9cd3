package io.keywatch.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunCommandConsoleTest {

    private final PrintStream out = new PrintStream(new ByteArrayOutputStream());
    private final PrintStream err = new PrintStream(new ByteArrayOutputStream());

    @Test
    void withJsonLogsTheBannerLeavesStdoutToTheJsonLines() {
        assertThat(RunCommand.console(Map.of("KEYWATCH_LOG_FORMAT", "json"), out, err)).isSameAs(err);
        assertThat(RunCommand.console(Map.of("KEYWATCH_LOG_FORMAT", "JSON "), out, err)).isSameAs(err);
    }

    @Test
    void withTextLogsOrAnUnknownFormatTheBannerStaysOnStdout() {
        assertThat(RunCommand.console(Map.of(), out, err)).isSameAs(out);
        assertThat(RunCommand.console(Map.of("KEYWATCH_LOG_FORMAT", "text"), out, err)).isSameAs(out);
        assertThat(RunCommand.console(Map.of("KEYWATCH_LOG_FORMAT", "xml"), out, err)).isSameAs(out);
    }
}
