package io.keywatch.tools.backtest;

import io.keywatch.tools.KeywatchTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the keywatch-tools command in-process, capturing what it prints. */
public final class BacktestCli {

    public record Run(int exitCode, String out, String err) {
    }

    private BacktestCli() {
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new KeywatchTools())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
