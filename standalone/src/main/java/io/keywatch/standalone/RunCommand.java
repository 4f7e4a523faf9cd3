package io.keywatch.standalone;

import io.keywatch.standalone.logging.LogFormat;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keywatch run}: embedded Kafka and PostgreSQL with every service, until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run keywatch on one machine: embedded Kafka broker, embedded PostgreSQL, topology and API.")
final class RunCommand implements Callable<Integer> {

    /** Options shared by {@code keywatch} and {@code keywatch run}. */
    static final class Options {
        @Option(names = "--demo", description = "Also run the traffic simulator, with an incident about every minute.")
        boolean demo;

        @Option(names = "--data-dir", description = "Where data is kept across restarts (default: ${KEYWATCH_DATA_DIR:-keywatch-data}).")
        Path dataDir;

        @Option(names = "--kafka-port", description = "Embedded Kafka client port (default: 9092; 0 = any free port).")
        Integer kafkaPort;

        @Option(names = "--postgres-port", description = "Embedded PostgreSQL port (default: 5433; 0 = any free port).")
        Integer postgresPort;

        @Option(names = "--http-port", description = "API port (default: 8080; 0 = any free port).")
        Integer httpPort;

        StandaloneSettings apply(StandaloneSettings settings) {
            StandaloneSettings result = settings;
            if (dataDir != null) {
                result = result.withDataDir(dataDir);
            }
            if (kafkaPort != null) {
                result = result.withKafkaPort(kafkaPort);
            }
            if (postgresPort != null) {
                result = result.withPostgresPort(postgresPort);
            }
            if (httpPort != null) {
                result = result.withHttpPort(httpPort);
            }
            return result;
        }
    }

    @Mixin
    Options options = new Options();

    RunCommand() {
    }

    RunCommand(Options options) {
        this.options = options;
    }

    /**
     * The demo lets webhooks go to a receiver on this machine over plain HTTP (say, {@code nc -l 9000}), which the SSRF
     * guard otherwise refuses; anything set explicitly wins.
     */
    static Map<String, String> demoEnv(Map<String, String> env) {
        Map<String, String> demo = new HashMap<>(env);
        demo.putIfAbsent("KEYWATCH_WEBHOOK_ALLOW", "localhost,127.0.0.0/8,::1");
        demo.putIfAbsent("KEYWATCH_WEBHOOK_ALLOW_HTTP", "true");
        return demo;
    }

    /**
     * Where the progress lines and the banner go: stdout, unless the logs are JSON ({@code KEYWATCH_LOG_FORMAT=json}),
     * whose shipper reads stdout as one JSON object per line; then stderr, still on the person's terminal.
     */
    static PrintStream console(Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            return LogFormat.parse(env.get("KEYWATCH_LOG_FORMAT")) == LogFormat.JSON ? err : out;
        } catch (IllegalArgumentException unknownFormat) {
            // logback has reported it at start and logs as text: the banner stays beside the lines
            return out;
        }
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = options.demo ? demoEnv(System.getenv()) : System.getenv();
        StandaloneSettings settings = options.apply(StandaloneSettings.fromEnv(env));
        PrintStream out = console(env, System.out, System.err);
        out.println("Starting keywatch (data in " + settings.dataDir().toAbsolutePath() + ") ...");
        Standalone standalone = Standalone.start(settings, env);
        new Banner(standalone).print(out);
        AtomicReference<DemoTraffic> demo = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping keywatch ...");
            DemoTraffic traffic = demo.get();
            if (traffic != null) {
                traffic.close();
            }
            standalone.close();
            stopped.countDown();
        }, "keywatch-shutdown"));
        if (options.demo) {
            out.println("demo: registering the simulated keys and backfilling 30 minutes of history so that every key has a baseline ...");
            demo.set(DemoTraffic.start(standalone, out));
            out.println("demo: live traffic is flowing; the first incident comes within about a minute.");
        }
        stopped.await();
        return 0;
    }
}
