package io.keywatch.tools.bench;

import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.simulator.SimulatorSettings;
import io.keywatch.simulator.TrafficModel;
import io.keywatch.standalone.Standalone;
import io.keywatch.standalone.StandaloneSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;

/** One bench run: starts the embedded stack in a temporary folder, runs the phases in order, returns the report. */
public final class BenchRun {

    private static final String ACTOR = "bench";
    private static final long SEED = 2026L;

    private final BenchSettings settings;
    private final Progress progress;

    public BenchRun(BenchSettings settings, java.io.PrintStream err) {
        this.settings = settings;
        this.progress = new Progress(err);
    }

    /** Environment for the embedded services: webhooks to loopback, and a revocation guard above the incident count. */
    static Map<String, String> serviceEnv(Map<String, String> base, BenchSettings settings) {
        Map<String, String> env = new HashMap<>(base);
        env.remove("KEYWATCH_ADMIN_TOKEN"); // a fresh token per run
        env.remove("KEYWATCH_STREAMS_STATE_DIR");
        env.put("KEYWATCH_WEBHOOK_ALLOW", "127.0.0.0/8");
        env.put("KEYWATCH_WEBHOOK_ALLOW_HTTP", "true");
        env.put("KEYWATCH_REVOKE_MAX_PER_WINDOW", String.valueOf(revokeMaxPerWindow(settings)));
        // the synthetic alerts of the API phase are old; the auto-resolve job would rewrite them while it is measured
        env.put("KEYWATCH_ALERT_AUTO_RESOLVE_MINUTES", "0");
        return env;
    }

    static int revokeMaxPerWindow(BenchSettings settings) {
        return (settings.incidents() + settings.liveRates().size() * LivePhase.INCIDENTS_PER_STEP) * 2 + 100;
    }

    /** {@code bench --api-only}: phase 4 alone, on an embedded stack of its own. */
    public BenchReport.Api runApiOnly() throws Exception {
        Path dataDir = Files.createTempDirectory("keywatch-bench-");
        try {
            progress.say("starting embedded Kafka, PostgreSQL, topology and API in %s", dataDir);
            SameBytesRoute sameBytes = new SameBytesRoute();
            try (Standalone keywatch = Standalone.start(new StandaloneSettings(dataDir, 0, 0, 0, 0),
                    serviceEnv(System.getenv(), settings), List.of(sameBytes.route()));
                 AutoCloseable onInterrupt = closeOnShutdown(keywatch)) {
                TrafficModel model = new TrafficModel(SimulatorSettings.DEFAULTS.withKeys(settings.keys())
                        .withSeed(SEED));
                return apiPhase(keywatch, EventBatch.keyIds(model), sameBytes, dataDir);
            }
        } finally {
            deleteQuietly(dataDir);
        }
    }

    /** Phase 4: synthetic alerts copied in, then the list and the same bytes under the same load. */
    private BenchReport.Api apiPhase(Standalone keywatch, String[] keyIds, SameBytesRoute sameBytes, Path dataDir)
            throws Exception {
        ApiClient admin = new ApiClient(keywatch.httpPort(), keywatch.adminToken());
        ViewerToken viewer = ViewerToken.mint(admin);
        try {
            return apiPhase(keywatch, keyIds, sameBytes, dataDir, new ApiPhase(admin, keywatch.httpPort(),
                    viewer.value(), progress));
        } finally {
            viewer.revoke(admin);
        }
    }

    private BenchReport.Api apiPhase(Standalone keywatch, String[] keyIds, SameBytesRoute sameBytes, Path dataDir,
                                     ApiPhase apiPhase) throws Exception {
        Map<String, String> env = keywatch.serviceEnv();
        Instant now = Instant.now();
        progress.say("api: copying %,d synthetic alerts into PostgreSQL", settings.alerts());
        // as the tables' owner: seeding is not the service's business, and only the owner may ANALYZE
        double insertSeconds = apiPhase.insert(keywatch.postgresUrl(), env.get("KEYWATCH_DB_MIGRATION_USER"),
                env.get("KEYWATCH_DB_MIGRATION_PASSWORD"), keyIds, settings.alerts(), now);
        progress.say("api: %,d alerts in %.1f s", settings.alerts(), insertSeconds);
        return apiPhase.query(keyIds, settings.alerts(), insertSeconds, settings.apiClients(), settings.apiDuration(),
                now, sameBytes, dataDir);
    }

    public BenchReport run() throws Exception {
        Path dataDir = Files.createTempDirectory("keywatch-bench-");
        try {
            return run(dataDir);
        } finally {
            deleteQuietly(dataDir);
        }
    }

    private BenchReport run(Path dataDir) throws Exception {
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        progress.say("starting embedded Kafka, PostgreSQL, topology and API in %s", dataDir);
        SameBytesRoute sameBytes = new SameBytesRoute();
        try (Standalone keywatch = Standalone.start(new StandaloneSettings(dataDir, 0, 0, 0, 0),
                serviceEnv(System.getenv(), settings), List.of(sameBytes.route()));
             AutoCloseable onInterrupt = closeOnShutdown(keywatch)) {
            if (!keywatch.streams().awaitRunning(Duration.ofSeconds(120))) {
                throw new IllegalStateException("the topology did not reach RUNNING within 120 s");
            }
            ApiClient api = new ApiClient(keywatch.httpPort(), keywatch.adminToken());

            TrafficModel model = new TrafficModel(SimulatorSettings.DEFAULTS.withKeys(settings.keys()).withSeed(SEED));
            List<String> incidentKeys = IncidentPhase.incidentKeyIds(settings.incidents());
            List<String> autoRevokeKeys = new ArrayList<>(incidentKeys);
            autoRevokeKeys.addAll(LivePhase.allKeyIds(settings.liveRates()));
            long registerStart = System.nanoTime();
            int registered = register(keywatch, model, autoRevokeKeys);
            double registrationSeconds = (System.nanoTime() - registerStart) / 1e9;
            BenchReport.Setup setup = new BenchReport.Setup(startedAt, Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"), settings,
                    registrationSeconds, registered);

            // Phase 1
            int warmup = settings.events() / 4;
            progress.say("throughput: generating %,d + %,d warm-up events for %,d keys", settings.events(), warmup,
                    settings.keys());
            EventBatch batch = EventBatch.recentPast(model, warmup + settings.events(), Instant.now().minusSeconds(120));
            BenchReport.Throughput throughput = new ThroughputPhase(keywatch.kafkaBootstrap(), progress).run(batch,
                    warmup, keywatch.streams().settings(), dataDir.resolve("bench-baseline-state"), settings.keys());
            batch = null;

            // Phases 2 and 3
            TrafficModel backgroundModel = EventBatch.atRate(model, settings.rate(), Instant.now());
            // background for as long as the incidents take (one every 250 ms, about a second each), and 5 s more
            long incidentsMs = IncidentPhase.incidentStarts(0, settings.incidents())[settings.incidents() - 1] + 1_000;
            long seconds = incidentsMs / 1000 + 5;
            Background.Source detectionBackground = background(keywatch, backgroundModel, seconds, dataDir);
            IncidentPhase.Result incidents;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", keywatch.kafkaBootstrap()))) {
                ConsumerLag lag = new ConsumerLag(admin);
                incidents = new IncidentPhase(keywatch.kafkaBootstrap(),
                    keywatch.streams().settings().topics().usageEvents(),
                    keywatch.streams().settings().topics().alerts(), api, progress, keywatch.recordSigningKeys())
                    .run(detectionBackground, incidentKeys, settings.rate(),
                            () -> lag.lag(keywatch.streams().settings().applicationId(),
                                    keywatch.streams().settings().topics().usageEvents()));
            }
            BenchReport.Detection detection = new BenchReport.Detection(settings.rate(), incidents.achievedRate(),
                    settings.incidents(), incidents.detection(), incidents.topology(), incidents.alertTopic(),
                    incidents.backlogAtEnd(), incidents.drainSeconds(), incidents.sustainedRate());

            // the floor for the same rate and keys: a topology that only forwards, with keywatch's streams settings
            BenchReport.PassThrough passThrough = new PassThroughPhase(keywatch.kafkaBootstrap(), progress)
                    .run(background(keywatch, backgroundModel, seconds, dataDir), settings.rate(),
                            keywatch.streams().settings(), dataDir.resolve("bench-passthrough-state"), detection);
            BenchReport.Revocation revocation = new BenchReport.Revocation(revokeMaxPerWindow(settings),
                    incidents.webhook(), incidents.cache());

            // the rate the topology sustains live, the load from a child JVM, next to phase 1's bulk rate
            BenchReport.Live live = BenchReport.Live.NONE;
            if (!settings.liveRates().isEmpty()) {
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", keywatch.kafkaBootstrap()))) {
                    ConsumerLag lag = new ConsumerLag(admin);
                    live = new LivePhase(keywatch.kafkaBootstrap(), keywatch.streams().settings().topics().usageEvents(),
                            keywatch.streams().settings().topics().alerts(), api, progress,
                            keywatch.recordSigningKeys(), settings.keys(), SEED, dataDir)
                            .run(settings.liveRates(), throughput.keywatchEventsPerSecond(),
                                    () -> lag.lag(keywatch.streams().settings().applicationId(),
                                            keywatch.streams().settings().topics().usageEvents()));
                }
            }

            // Phase 4
            BenchReport.Api apiReport = apiPhase(keywatch, EventBatch.keyIds(model), sameBytes, dataDir);

            // Phase 5
            BenchReport.Footprint footprint = Footprint.measure(keywatch.streams().settings().stateDir(), registered);
            progress.say("done; stopping");
            return new BenchReport(setup, throughput, detection, passThrough, revocation, apiReport, footprint, live);
        }
    }

    /**
     * The background of a latency phase at {@code --rate}: generated here before the phase and sent from this JVM, or
     * generated and sent by a child JVM ({@code --publisher process}). Either way generation happens before the first
     * event is due: the lead allows about 200,000 events generated per second, plus a JVM's start for the child.
     */
    private Background.Source background(Standalone keywatch, TrafficModel model, long seconds, Path dataDir) {
        if (settings.publisher() == BenchSettings.Publisher.PROCESS) {
            return topic -> {
                PublisherProcess child = PublisherProcess.start(keywatch.kafkaBootstrap(), topic, settings.keys(), SEED,
                        settings.rate(), seconds, dataDir);
                progress.say("background: a child JVM publishes %d s at %,d events/s from %s", seconds,
                        settings.rate(), Instant.ofEpochMilli(child.firstDueMs()));
                return child;
            };
        }
        Instant start = Instant.now().plusSeconds(EventBatch.generationLeadSeconds(seconds, settings.rate()))
                .truncatedTo(ChronoUnit.SECONDS);
        progress.say("background: generating %d s of traffic at %,d events/s", seconds, settings.rate());
        EventBatch batch = EventBatch.duringAtRate(model, start, seconds, settings.rate());
        // a phase that started late (a slow topology start) shifts the schedule rather than send a burst
        return topic -> new PacedEvents(batch).startingNoEarlierThan(System.currentTimeMillis() + 500);
    }

    /**
     * Ctrl-C or SIGTERM during a run must not leave the embedded PostgreSQL running without its parent: a shutdown hook
     * stops the stack; closing the returned handle (the normal end of the run) removes the hook.
     */
    private static AutoCloseable closeOnShutdown(Standalone keywatch) {
        Thread hook = new Thread(keywatch::close, "bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it stops the stack
            }
        };
    }

    /** Registers every simulated key and the incident keys (auto-revoke on) in parallel, then waits for the topology. */
    private int register(Standalone keywatch, TrafficModel model, List<String> incidentKeys) throws Exception {
        List<KeyState> entries = model.registry();
        int total = entries.size() + incidentKeys.size();
        progress.say("registering %,d keys", total);
        Instant created = Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        KeyMetadata incidentMetadata = new KeyMetadata("bench", "payments", List.of("payments:write"), created, null,
                null, Boolean.TRUE, null, null, null);
        KeyAnnouncer.announce(keywatch.kafkaBootstrap(), keywatch.streams().settings().topics().keyState(), entries,
                keywatch.recordSigningKeys());
        progress.say("announced %,d simulated keys on the key-state topic; registering %d incident keys through the "
                + "registry", entries.size(), incidentKeys.size());
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>(incidentKeys.size());
            for (String keyId : incidentKeys) {
                futures.add(pool.submit(() -> {
                    keywatch.keyRegistry().register(keyId, incidentMetadata, ACTOR);
                    done.incrementAndGet();
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        List<String> probe = new ArrayList<>(incidentKeys);
        for (int i = 0; i < entries.size(); i += Math.max(1, entries.size() / 100)) {
            probe.add(entries.get(i).keyId());
        }
        probe.add(entries.get(entries.size() - 1).keyId());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        for (String keyId : probe) {
            while (!known(keywatch, keyId)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the topology did not learn of key " + keyId + " within 5 minutes");
                }
                Thread.sleep(50);
            }
        }
        progress.say("registered %,d keys; the topology knows them", total);
        return total;
    }

    private static boolean known(Standalone keywatch, String keyId) {
        try {
            return keywatch.streams().keyState(keyId).filter(KeyState::isRegistered).isPresent();
        } catch (IllegalStateException e) {
            return false; // the store is not queryable yet
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (Exception e) {
            // a temporary folder; the OS cleans it eventually
        }
    }
}
