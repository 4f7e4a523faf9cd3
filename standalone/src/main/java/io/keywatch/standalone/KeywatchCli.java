package io.keywatch.standalone;

import io.keywatch.standalone.canary.CanaryCommand;
import io.keywatch.standalone.dlq.DlqCommand;
import io.keywatch.standalone.rules.RulesCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code keywatch} command: runs everything on one machine by default, or one service alone. The measuring tools
 * (bench, backtest, evaluate, soak) are the {@code keywatch-tools} command of the tools module.
 */
@Command(name = "keywatch",
        mixinStandardHelpOptions = true,
        versionProvider = KeywatchVersion.class,
        description = "Watches how API keys are used and acts when one is misused.",
        subcommands = {RunCommand.class, ServiceCommands.Streams.class, ServiceCommands.Api.class,
                ServiceCommands.Simulate.class, DlqCommand.class, RulesCommand.class, CanaryCommand.class})
public final class KeywatchCli implements Callable<Integer> {

    @CommandLine.Mixin
    RunCommand.Options runOptions = new RunCommand.Options();

    /** Without a subcommand, {@code keywatch} is {@code keywatch run}. */
    @Override
    public Integer call() throws Exception {
        return new RunCommand(runOptions).call();
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new KeywatchCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("keywatch: " + e.getMessage());
                    return 1;
                })
                .execute(args);
        // a command has finished (the services' commands return once they are shut down): a client library's
        // lingering non-daemon thread must not keep the process alive (bench stayed up minutes after its report)
        System.exit(exit);
    }
}
