package io.keywatch.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every command's help renders: a bare {@code %} in a description is a format specifier to picocli, which then prints
 * a warning and the raw text instead of the help (it did, for {@code bench --live} and {@code evaluate --week}).
 * Each help is printed by a JVM of its own, as a user runs it: picocli writes its warning to the standard error it
 * saw when first loaded, which in this test JVM may be another test's.
 */
class UsageHelpTest {

    @Test
    void everyCommandsHelpRendersWithoutAFormatWarning() throws IOException, InterruptedException {
        List<String> commands = new ArrayList<>(List.of(""));
        commands.addAll(KeywatchTools.commandLine().getSubcommands().keySet());
        for (String command : commands) {
            List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), KeywatchTools.class.getName()));
            if (!command.isEmpty()) {
                args.add(command);
            }
            args.add("--help");
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(output).as("keywatch-tools %s --help", command).doesNotContain("picocli WARN")
                    .contains("Usage: keywatch-tools");
        }
    }
}
