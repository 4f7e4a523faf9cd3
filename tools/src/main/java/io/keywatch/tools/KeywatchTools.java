package io.keywatch.tools;

import io.keywatch.tools.backtest.BacktestCommand;
import io.keywatch.tools.backtest.SimulateDayCommand;
import io.keywatch.tools.bench.BenchCommand;
import io.keywatch.tools.evaluate.EvaluateCommand;
import io.keywatch.tools.soak.RestartsCommand;
import io.keywatch.tools.soak.SoakCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code keywatch-tools} command: what measures keywatch rather than runs it — benchmarks, backtests, detection
 * quality, soak and restart runs. Kept out of the product's jar; it drives the product's own classes.
 */
@Command(name = "keywatch-tools",
        mixinStandardHelpOptions = true,
        versionProvider = io.keywatch.standalone.KeywatchVersion.class,
        description = "Measures keywatch: throughput and latency, detection quality, behaviour under faults.",
        subcommands = {BacktestCommand.class, SimulateDayCommand.class, EvaluateCommand.class, BenchCommand.class,
                SoakCommand.class, RestartsCommand.class})
public final class KeywatchTools {

    /** Picocli's standard exit handling, as {@code keywatch} does. */
    public static CommandLine commandLine() {
        return new CommandLine(new KeywatchTools())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("keywatch-tools: " + e.getMessage());
                    return 1;
                });
    }

    public static void main(String[] args) {
        int exit = commandLine().execute(args);
        // as in keywatch: a client library's lingering non-daemon thread must not keep the process alive
        System.exit(exit);
    }
}
