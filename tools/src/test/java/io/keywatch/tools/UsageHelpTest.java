package io.keywatch.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help renders: a bare {@code %} in a description is a format specifier to picocli, which then prints
 * a warning and the raw text instead of the help (it did, for {@code bench --live} and {@code evaluate --week}).
 */
class UsageHelpTest {

    @Test
    void everyCommandsHelpRendersWithoutAFormatWarning() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringBuilder help = new StringBuilder();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Deque<CommandLine> commands = new ArrayDeque<>();
            commands.add(KeywatchTools.commandLine());
            while (!commands.isEmpty()) {
                CommandLine command = commands.poll();
                help.append(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
                commands.addAll(command.getSubcommands().values());
            }
        } finally {
            System.setErr(err);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(help.toString().replaceAll("\\s+", " "))
                .contains("95 % of the rate", "weekends at 20-30 %,").doesNotContain("%%");
    }
}
