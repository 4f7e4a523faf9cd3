package io.keywatch.standalone.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.embedded.FreePort;
import io.keywatch.events.AlertRule;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.Topics;
import io.keywatch.ingest.simulator.IncidentKind;
import io.keywatch.ingest.simulator.IncidentPlan;
import io.keywatch.ingest.simulator.SimulatorSettings;
import io.keywatch.ingest.simulator.TrafficModel;
import io.keywatch.standalone.dlq.DeadLetterReader;
import io.keywatch.standalone.dlq.DeadLetterRecord;
import io.keywatch.streams.KeywatchTopology;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One soak run: embedded Kafka and PostgreSQL in this process, the {@code streams} and {@code api} services as
 * child JVMs, traffic with incidents and hostile records in real time while the streams child (and sometimes the
 * api child) is killed with SIGKILL and restarted; then the pipeline drains and the ledger is drawn up.
 */
public final class SoakRun {

    static final String STREAMS_GROUP = "keywatch-streams";
    static final String API_GROUP = "keywatch-alerts-api";
    static final String SECRET_RULE = "SECRET_IN_TELEMETRY";
    private static final List<IncidentKind> INCIDENT_KINDS = List.of(IncidentKind.BRUTE_FORCE,
            IncidentKind.SCOPE_VIOLATION, IncidentKind.INSECURE_TRANSPORT, IncidentKind.KEY_IN_URL,
            IncidentKind.UNKNOWN_KEY);

    private static final Duration INCIDENT_SPAN = Duration.ofSeconds(40);

    private final SoakSettings settings;
    private final PrintStream progress;
    private final ObjectMapper json = KeywatchJson.newMapper();
    private final List<RestartProbe.Figure> restarts = new CopyOnWriteArrayList<>();

    public SoakRun(SoakSettings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs in {@code dataDir} (the services' logs stay there: {@code streams.log}, {@code api.log}). */
    public SoakLedger run(Path dataDir) throws Exception {
        Topics topics = Topics.DEFAULTS;
        say("starting embedded Kafka and PostgreSQL in %s", dataDir);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
             EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0)) {
            String bootstrap = broker.bootstrapServers();
            new TopicProvisioner(bootstrap, Duration.ofSeconds(30)).ensure(topics, 3, (short) 1);

            SimulatorSettings base = SimulatorSettings.DEFAULTS.withKeys(settings.keys()).withSeed(settings.seed());
            TrafficModel model = new TrafficModel(base.withRateScale(settings.rate() / modelRate(new TrafficModel(base))));
            Instant start = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
            Instant end = start.plus(settings.traffic());
            List<IncidentPlan> incidents = incidents(start, end);
            announce(bootstrap, topics.keyState(), model, incidents);

            String token = "soak-" + Base64.getUrlEncoder().withoutPadding().encodeToString(new SecureRandom().generateSeed(18));
            int httpPort = FreePort.find();
            Map<String, String> common = Map.of("KEYWATCH_KAFKA_BOOTSTRAP", bootstrap, "KEYWATCH_TOPIC_PARTITIONS", "3");
            Map<String, String> streamsEnv = new HashMap<>(common);
            streamsEnv.put("KEYWATCH_STREAMS_APPLICATION_ID", STREAMS_GROUP);
            streamsEnv.put("KEYWATCH_STREAMS_STATE_DIR", dataDir.resolve("streams-state").toString());
            // one key for the whole run, so that a restarted streams child fingerprints a secret as before
            streamsEnv.put("KEYWATCH_SECRET_FINGERPRINT_KEY", fingerprintKey());
            Map<String, String> apiEnv = new HashMap<>(common);
            apiEnv.put("KEYWATCH_DB_URL", postgres.jdbcUrl());
            apiEnv.put("KEYWATCH_DB_USER", postgres.user());
            apiEnv.put("KEYWATCH_DB_PASSWORD", postgres.password());
            apiEnv.put("KEYWATCH_HTTP_PORT", String.valueOf(httpPort));
            apiEnv.put("KEYWATCH_ADMIN_TOKEN", token);
            apiEnv.put("KEYWATCH_API_CONSUMER_GROUP", API_GROUP);
            apiEnv.put("KEYWATCH_ALERT_AUTO_RESOLVE_MINUTES", "0");
            apiEnv.put("KEYWATCH_REVOKE_MAX_PER_WINDOW", "1000");
            Api api = new Api(httpPort, token);

            try (ChildService streams = new ChildService("streams", streamsEnv, dataDir.resolve("streams.log"));
                 ChildService apiChild = new ChildService("api", apiEnv, dataDir.resolve("api.log"));
                 AutoCloseable onInterrupt = closeOnShutdown(streams, apiChild, postgres)) {
                apiChild.start();
                streams.start();
                api.awaitUp(Duration.ofSeconds(120));
                say("services up (streams log %s, api log %s); traffic from %s for %d s, %d kill(s)",
                        streams.log(), apiChild.log(), start, settings.traffic().toSeconds(), settings.kills());

                Chaos chaos = new Chaos(streams, apiChild, killMoments(start), settings.seed(),
                        new RestartProbe(bootstrap, topics));
                Thread chaosThread = new Thread(chaos, "soak-chaos");
                chaosThread.start();
                SoakTraffic.Produced produced;
                try {
                    produced = new SoakTraffic(bootstrap, topics.usageEvents(), settings.hostileShare(), settings.seed())
                            .run(model, incidents, start, end, line -> say("%s", line));
                } finally {
                    chaosThread.join();
                }
                if (chaos.failure != null) {
                    throw chaos.failure;
                }
                say("traffic done: %,d valid and %,d hostile records; waiting for the pipeline to drain",
                        produced.normal(), produced.hostileBySeq().size());

                Map<Integer, long[]> streamsOffsets;
                long apiLag;
                List<JsonNode> alerts;
                String keys;
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                    streamsOffsets = awaitDrained(admin, topics.usageEvents());
                    alerts = awaitAlertsSettled(admin, api, topics.alerts());
                    apiLag = apiLag(offsets(admin, API_GROUP, topics.alerts()));
                    keys = api.keys();
                }
                List<DeadLetterRecord> deadLetters = new ArrayList<>();
                DeadLetterReader reader = new DeadLetterReader(bootstrap, Duration.ofSeconds(60));
                reader.forEach(topics.usageEventsDlq(), deadLetters::add);
                Map<String, Long> counted = TopologyCounts.requests(reader,
                        STREAMS_GROUP + "-" + KeywatchTopology.USAGE_STORE + "-changelog",
                        Set.copyOf(produced.incidentKeyBySeq().values()));
                say("read %,d dead letters and %,d alerts", deadLetters.size(), alerts.size());
                Map<String, Long> shown = new SecretScan(produced.secrets())
                        .deadLetters("the usage-events DLQ", deadLetters)
                        .file("streams.log", streams.log())
                        .file("api.log", apiChild.log())
                        .text("the API's alerts", alerts.toString())
                        .text("the API's keys", keys)
                        .shownByPlace();
                return SoakLedger.of(produced, deadLetters, incidentChecks(incidents, alerts), counted,
                        alerts.stream().filter(a -> SECRET_RULE.equals(a.path("rule").asText())).count(),
                        shown, streamsOffsets, apiLag, streams.kills(), apiChild.kills());
            }
        }
    }

    /**
     * Ctrl-C must not leave the child JVMs and the embedded PostgreSQL (a process of its own) running without their
     * parent: a shutdown hook kills the children and stops PostgreSQL; closing the handle at the normal end removes it.
     */
    private AutoCloseable closeOnShutdown(ChildService streams, ChildService api, AutoCloseable postgres) {
        Thread hook = new Thread(() -> {
            try {
                streams.kill();
                api.kill();
                postgres.close();
            } catch (Exception e) {
                say("while stopping on shutdown: %s", e);
            }
        }, "soak-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already: it stops everything
            }
        };
    }

    /** One incident of each kind in turn, every 25 s from 20 s in, each on a key of its own, within the traffic. */
    private List<IncidentPlan> incidents(Instant start, Instant end) {
        List<IncidentPlan> plans = new ArrayList<>();
        for (int i = 0; ; i++) {
            IncidentKind kind = INCIDENT_KINDS.get(i % INCIDENT_KINDS.size());
            String keyId = "soak-" + kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + i;
            IncidentPlan plan = IncidentPlan.of(kind, keyId, start.plusSeconds(20 + 25L * i));
            // the slow kinds (10 requests in 5 min) squeezed into 40 s, so that a short soak holds every kind
            if (plan.duration().compareTo(INCIDENT_SPAN) > 0) {
                plan = plan.withCount(plan.count(), INCIDENT_SPAN);
            }
            if (plan.end().isAfter(end.minusSeconds(5))) {
                return plans;
            }
            plans.add(plan);
        }
    }

    private static List<SoakLedger.IncidentCheck> incidentChecks(List<IncidentPlan> incidents, List<JsonNode> alerts) {
        List<SoakLedger.IncidentCheck> checks = new ArrayList<>();
        for (IncidentPlan plan : incidents) {
            AlertRule rule = plan.kind().expectedRule();
            long n = alerts.stream().filter(a -> plan.keyId().equals(a.path("keyId").asText())
                    && rule.name().equals(a.path("rule").asText())).count();
            checks.add(new SoakLedger.IncidentCheck(plan.kind().name(), plan.keyId(), rule.name(), n));
        }
        return checks;
    }

    private static String fingerprintKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Kill moments spread at random over 15 % to 85 % of the traffic. */
    private List<Instant> killMoments(Instant start) {
        SplittableRandom rng = new SplittableRandom(settings.seed() ^ 0x6b696c6cL);
        long span = settings.traffic().toMillis();
        List<Instant> moments = new ArrayList<>();
        for (int i = 0; i < settings.kills(); i++) {
            moments.add(start.plusMillis((long) (span * (0.15 + 0.7 * rng.nextDouble()))));
        }
        moments.sort(null);
        return moments;
    }

    /** What each restart of the streams child cost (after the run; see {@link RestartProbe}). */
    public List<RestartProbe.Figure> restarts() {
        return List.copyOf(restarts);
    }

    /**
     * Kills and restarts the children at the given moments; after each restart it measures (and waits) until the
     * streams child detects again: a kill that falls within that time comes later than planned.
     */
    private final class Chaos implements Runnable {
        private final ChildService streams;
        private final ChildService api;
        private final List<Instant> moments;
        private final SplittableRandom rng;
        private final RestartProbe probe;
        volatile Exception failure;

        Chaos(ChildService streams, ChildService api, List<Instant> moments, long seed, RestartProbe probe) {
            this.streams = streams;
            this.api = api;
            this.moments = moments;
            this.rng = new SplittableRandom(seed ^ 0x63686173L);
            this.probe = probe;
        }

        @Override
        public void run() {
            try (probe) {
                for (int i = 0; i < moments.size(); i++) {
                    long wait = moments.get(i).toEpochMilli() - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    boolean alsoApi = i % 3 == 1;
                    streams.kill();
                    if (alsoApi) {
                        api.kill();
                    }
                    say("kill %d/%d: SIGKILL to streams%s", i + 1, moments.size(), alsoApi ? " and api" : "");
                    Thread.sleep(500 + rng.nextInt(4_000));
                    if (alsoApi) {
                        api.start();
                    }
                    RestartProbe.Figure figure = probe.afterStart(streams, RestartProbe.KILL, i + 1);
                    restarts.add(figure);
                    say("kill %d/%d: streams RUNNING again after %.2f s, detecting again after %.2f s", i + 1,
                            moments.size(), figure.secondsToRunning(), figure.secondsToDetecting());
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    private Map<Integer, long[]> awaitDrained(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        long lastSay = System.nanoTime();
        while (true) {
            Map<Integer, long[]> offsets = offsets(admin, STREAMS_GROUP, topic);
            long lag = lag(offsets);
            if (lag == 0 || System.nanoTime() > deadline) {
                say(lag == 0 ? "streams caught up" : "streams still %,d records behind after %d s; drawing up anyway",
                        lag, settings.drainTimeout().toSeconds());
                return offsets;
            }
            if (System.nanoTime() - lastSay > 10_000_000_000L) {
                say("streams %,d records behind", lag);
                lastSay = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }

    /**
     * Waits until the API's alert consumer has caught up (within the transaction markers at the end of each
     * partition) and the alert list has not changed for 15 s, or the drain timeout.
     */
    private List<JsonNode> awaitAlertsSettled(Admin admin, Api api, String alertsTopic) throws Exception {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        List<JsonNode> last = List.of();
        long stableSince = System.nanoTime();
        while (true) {
            List<JsonNode> alerts;
            try {
                alerts = api.alerts();
            } catch (IOException e) {
                alerts = last; // restarting: ask again
            }
            if (!alerts.toString().equals(last.toString())) {
                last = alerts;
                stableSince = System.nanoTime();
            }
            Map<Integer, long[]> offsets = offsets(admin, API_GROUP, alertsTopic);
            boolean caughtUp = offsets.values().stream().allMatch(o -> o[1] - o[0] <= 1);
            long stableNanos = System.nanoTime() - stableSince;
            if (caughtUp && stableNanos > 15_000_000_000L) {
                return last;
            }
            if (stableNanos > 90_000_000_000L) {
                say("the API's alerts have not changed for 90 s, but its consumer is %,d record(s) behind: stalled",
                        apiLag(offsets));
                return last;
            }
            if (System.nanoTime() > deadline) {
                say("the API's alerts did not settle within %d s (consumer %,d record(s) behind); drawing up anyway",
                        settings.drainTimeout().toSeconds(), apiLag(offsets));
                return last;
            }
            Thread.sleep(2_000);
        }
    }

    /** Per partition: the group's committed offset (0 if none) and the log end offset. */
    private static Map<Integer, long[]> offsets(Admin admin, String group, String topic)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<Integer, long[]> result = new TreeMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> {
            OffsetAndMetadata at = committed.get(tp);
            result.put(tp.partition(), new long[] {at == null ? 0 : at.offset(), info.offset()});
        });
        return result;
    }

    /** Records the API's consumer has not committed, beyond the one commit marker that may end each partition. */
    private static long apiLag(Map<Integer, long[]> offsets) {
        return offsets.values().stream().mapToLong(o -> Math.max(0, o[1] - o[0] - 1)).sum();
    }

    private static long lag(Map<Integer, long[]> offsets) {
        return offsets.values().stream().mapToLong(o -> Math.max(0, o[1] - o[0])).sum();
    }

    private void announce(String bootstrap, String topic, TrafficModel model, List<IncidentPlan> incidents) {
        Instant created = Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        KeyMetadata metadata = new KeyMetadata("soak", "payments", List.of("payments:read", "payments:write"),
                created, null, null, Boolean.TRUE, null, null, null);
        List<KeyState> entries = new ArrayList<>(model.registry());
        for (IncidentPlan plan : incidents) {
            if (plan.kind() != IncidentKind.UNKNOWN_KEY) {
                entries.add(new KeyState(plan.keyId(), KeyStatus.ACTIVE, created, "registered", "soak", metadata));
            }
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, KeyState> producer = new KafkaProducer<>(props, new StringSerializer(),
                new JsonSerde<>(json, KeyState.class).serializer())) {
            for (KeyState entry : entries) {
                producer.send(new ProducerRecord<>(topic, entry.keyId(), entry));
            }
            producer.flush();
        }
        say("announced %d keys (%d incident keys registered, unknown-key incidents not)", entries.size(),
                entries.size() - model.registry().size());
    }

    /** Ordinary events per second the model makes over its first minute from now. */
    private static double modelRate(TrafficModel model) {
        Instant second = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long events = 0;
        for (int i = 0; i < 60; i++) {
            events += model.secondOfTraffic(second.plusSeconds(i), Map.of()).size();
        }
        return Math.max(1.0, events / 60.0);
    }

    private void say(String format, Object... args) {
        progress.printf("soak: " + format + "%n", args);
        progress.flush();
    }

    /** The API as an operator queries it: over HTTP with the admin token. */
    private final class Api {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;
        private final String token;

        Api(int port, String token) {
            this.base = "http://127.0.0.1:" + port;
            this.token = token;
        }

        void awaitUp(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    get("/health");
                    return;
                } catch (IOException e) {
                    TimeUnit.MILLISECONDS.sleep(500);
                }
            }
            throw new IllegalStateException("the api child did not answer on " + base + " within " + timeout);
        }

        /** Every alert, all pages. */
        List<JsonNode> alerts() throws IOException, InterruptedException {
            return all("/api/v1/alerts");
        }

        /** The key listing, all pages, as the text the API returned (for the secret scan). */
        String keys() throws IOException, InterruptedException {
            return all("/api/v1/keys").toString();
        }

        private List<JsonNode> all(String route) throws IOException, InterruptedException {
            List<JsonNode> all = new ArrayList<>();
            String cursor = null;
            do {
                String path = route + "?limit=500"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                HttpResponse<String> response = get(path);
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + route + " answered " + response.statusCode());
                }
                JsonNode page = json.readTree(response.body());
                page.path("items").forEach(all::add);
                cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            } while (cursor != null);
            return all;
        }

        private HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
