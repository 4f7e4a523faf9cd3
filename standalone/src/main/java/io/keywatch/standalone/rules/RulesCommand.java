package io.keywatch.standalone.rules;

import io.keywatch.streams.detect.Detectors;
import io.keywatch.streams.detect.RuleTables;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keywatch rules}: prints the rule and setting tables, generated from the rules' declarations, as Markdown;
 * with {@code --write-readme} it rewrites them in the README between their markers instead.
 */
@Command(name = "rules", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = 2,
        description = "Prints the detection rules and their settings as Markdown tables, generated from the rules' "
                + "declarations.")
public final class RulesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--write-readme", paramLabel = "<README.md>",
            description = "Rewrite the tables between the <!-- rules:begin/end --> and <!-- rule-settings:begin/end "
                    + "--> markers of this file instead of printing them.")
    Path readme;

    @Override
    public Integer call() throws Exception {
        RuleTables tables = new RuleTables(Detectors.all());
        PrintWriter out = spec.commandLine().getOut();
        if (readme == null) {
            out.print("## Rules\n\n" + tables.rules() + "\n## Rule settings\n\n" + tables.settings());
            out.flush();
            return 0;
        }
        String before = Files.readString(readme, StandardCharsets.UTF_8);
        String after = tables.updateReadme(before);
        if (after.equals(before)) {
            out.println(readme + ": the rule tables are up to date");
        } else {
            Files.writeString(readme, after, StandardCharsets.UTF_8);
            out.println(readme + ": rule tables rewritten");
        }
        out.flush();
        return 0;
    }
}
