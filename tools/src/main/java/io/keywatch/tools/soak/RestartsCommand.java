package io.keywatch.tools.soak;

import io.keywatch.events.signing.RecordSigningKeys;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.AuthResult;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.SafeText;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.Topics;
import io.keywatch.events.UsageEvent;
import io.keywatch.tools.backtest.ConsoleLogs;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keywatch-tools restarts}: what a restart of the streams service costs, in seconds until it detects again. */
@Command(name = "restarts",
        mixinStandardHelpOptions = true,
        description = {"Starts embedded Kafka and the streams service as a child JVM under steady traffic, then stops "
                + "it (SIGKILL or SIGTERM, in a seeded order), starts it again after a short pause and publishes an "
                + "incident right after the start: prints, per restart, the seconds from the start until the service "
                + "is RUNNING and until the incident's alert is on the alerts topic (read_committed), and the medians.",
                "Progress goes to stderr, the figures to stdout."})
public final class RestartsCommand implements Callable<Integer> {

    static final String GROUP = "keywatch-streams";
    private static final Pattern SECRET_NAME = Pattern.compile("SECRET|PASSWORD|TOKEN|_KEY(_|$)|CREDENTIAL|SASL|SSL");

    @Spec
    CommandSpec spec;

    @Option(names = "--kills", defaultValue = "3", description = "Restarts after SIGKILL (default ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--stops", defaultValue = "3",
            description = "Restarts after SIGTERM, a clean shutdown (default ${DEFAULT-VALUE}).")
    int stops;

    @Option(names = "--rate", paramLabel = "EV/S", defaultValue = "50",
            description = "Ordinary events per second throughout (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for the order of the stops and the pauses.")
    long seed;

    @Option(names = "--env", paramLabel = "NAME=VALUE",
            description = "A setting for the streams child, e.g. KEYWATCH_STREAMS_INSTANCE_ID=x (repeatable).")
    Map<String, String> env = new HashMap<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (kills < 0 || stops < 0 || kills + stops == 0 || kills + stops > 50 || rate < 1 || rate > 5_000) {
            throw new IllegalArgumentException("need 1 to 50 restarts in all and a rate of 1 to 5,000 events/s");
        }
        PrintWriter err = spec.commandLine().getErr();
        Path dataDir = Files.createTempDirectory("keywatch-restarts-");
        List<RestartProbe.Figure> figures = new ArrayList<>();
        RestartProbe.Figure first;
        try (ConsoleLogs logs = ConsoleLogs.toStderr();
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0)) {
            String bootstrap = broker.bootstrapServers();
            Topics topics = Topics.DEFAULTS;
            new TopicProvisioner(bootstrap, Duration.ofSeconds(30)).ensure(topics, 3, (short) 1);
            Map<String, String> childEnv = new HashMap<>(Map.of("KEYWATCH_KAFKA_BOOTSTRAP", bootstrap,
                    "KEYWATCH_TOPIC_PARTITIONS", "3", "KEYWATCH_STREAMS_APPLICATION_ID", GROUP,
                    "KEYWATCH_STREAMS_STATE_DIR", dataDir.resolve("streams-state").toString(),
                    "KEYWATCH_SECRET_FINGERPRINT_KEY", fingerprintKey(),
                    RecordSigningKeys.VAR, RecordSigningKeys.random("restarts").toEnvValue()));
            childEnv.putAll(env);
            SplittableRandom rng = new SplittableRandom(seed);
            AtomicBoolean trafficOn = new AtomicBoolean(true);
            Thread traffic = new Thread(() -> traffic(bootstrap, topics.usageEvents(), trafficOn), "restarts-traffic");
            try (ChildService streams = new ChildService("streams", childEnv, dataDir.resolve("streams.log"));
                 RestartProbe probe = new RestartProbe(bootstrap, topics)) {
                traffic.start();
                first = probe.afterStart(streams, "first start", 0);
                err.printf("restarts: first start: RUNNING after %.2f s, detecting after %.2f s (log %s)%n",
                        first.secondsToRunning(), first.secondsToDetecting(), streams.log());
                List<Boolean> order = new ArrayList<>();
                for (int i = 0; i < kills + stops; i++) {
                    order.add(i < kills);
                }
                for (int i = order.size() - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    order.set(i, order.set(j, order.get(i)));
                }
                for (int i = 0; i < order.size(); i++) {
                    boolean kill = order.get(i);
                    // under traffic for a while, so that the tasks have state and a transaction is open at the stop
                    Thread.sleep(10_000 + rng.nextInt(5_000));
                    Duration pause = Duration.ofMillis(500 + rng.nextInt(4_000));
                    RestartProbe.Figure figure = probe.restart(streams, kill, pause, i + 1);
                    figures.add(figure);
                    err.printf("restarts: %d/%d %s, started again after %d ms: RUNNING after %.2f s, detecting after "
                                    + "%.2f s%n", figure.restart(), order.size(), figure.stop(), pause.toMillis(),
                            figure.secondsToRunning(), figure.secondsToDetecting());
                }
            } finally {
                trafficOn.set(false);
                traffic.join();
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("seed", seed);
        report.put("rate", rate);
        report.put("settings", shown(env));
        report.put("firstStart", first);
        report.put("restarts", figures);
        report.put("medians", RestartReport.medians(figures));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("keywatch-tools restarts, seed %d, %d events/s%s%n", seed, rate, env.isEmpty() ? "" : ", " + shown(env));
        RestartReport.print(figures, out);
        out.flush();
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
            err.println("restarts: figures written to " + json.toAbsolutePath());
        }
        deleteQuietly(dataDir);
        return 0;
    }

    /** The child's extra settings for the report, values that may be secrets (keys, passwords, tokens) left out. */
    static Map<String, String> shown(Map<String, String> settings) {
        Map<String, String> shown = new TreeMap<>();
        settings.forEach((name, value) -> shown.put(name,
                SECRET_NAME.matcher(name).find() ? "(not shown)" : SafeText.escape(value, 200)));
        return shown;
    }

    /** Ordinary events of 20 keys at the rate, until told to stop. */
    private void traffic(String bootstrap, String topic, AtomicBoolean on) {
        JsonSerde<UsageEvent> serde = new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(), new ByteArraySerializer())) {
            long n = 0;
            long start = System.nanoTime();
            while (on.get()) {
                String keyId = "restarts-key-" + (n % 20);
                UsageEvent event = UsageEvent.of("restarts-" + n, keyId, Instant.now(), "billing", AuthResult.OK)
                        .withRequest("GET", "/v1/invoices", 200)
                        .withClient("10.0.0." + (n % 20), "DE", "curl/8");
                producer.send(new ProducerRecord<>(topic, keyId, serde.toBytes(event)));
                n++;
                long ahead = start + n * 1_000_000_000L / rate - System.nanoTime();
                if (ahead > 0) {
                    Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String fingerprintKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (Exception e) {
            // a temporary folder; the OS cleans it eventually
        }
    }
}
