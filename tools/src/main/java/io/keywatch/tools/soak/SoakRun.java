package io.keywatch.tools.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.secrets.SecretKeys;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.embedded.FreePort;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.SafeText;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.Topics;
import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.simulator.IncidentKind;
import io.keywatch.simulator.IncidentPlan;
import io.keywatch.simulator.SimulatorSettings;
import io.keywatch.simulator.TrafficModel;
import io.keywatch.tools.bench.KeyAnnouncer;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

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
    private final ScaleOutSettings scale;
    private final PrintStream progress;
    private final ObjectMapper json = KeywatchJson.newMapper();
    private final List<RestartProbe.Figure> restarts = new CopyOnWriteArrayList<>();

    public SoakRun(SoakSettings settings, PrintStream progress) {
        this(settings, ScaleOutSettings.SINGLE, progress);
    }

    public SoakRun(SoakSettings settings, ScaleOutSettings scale, PrintStream progress) {
        scale.requireSurvivor(settings.kills());
        this.settings = settings;
        this.scale = scale;
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
            // one signing key list for every child: the API verifies the alerts the streams children sign, the
            // topology the key states the API and this harness announce
            RecordSigningKeys signingKeys = RecordSigningKeys.random("soak");
            announce(bootstrap, topics.keyState(), model, incidents, signingKeys);

            String token = "soak-" + Base64.getUrlEncoder().withoutPadding().encodeToString(new SecureRandom().generateSeed(18));
            Map<String, String> common = Map.of("KEYWATCH_KAFKA_BOOTSTRAP", bootstrap, "KEYWATCH_TOPIC_PARTITIONS", "3",
                    RecordSigningKeys.VAR, signingKeys.toEnvValue());
            // one key for the whole run and every instance, so that restarts keep fingerprinting a secret as before
            String fingerprintKey = fingerprintKey();
            String secretKeys = SecretKeys.random("soak").toEnvValue();
            List<Integer> httpPorts = new ArrayList<>();
            for (int i = 0; i < scale.apis(); i++) {
                httpPorts.add(FreePort.find());
            }
            try (WebhookReceiver receiver = new WebhookReceiver();
                 SoakChildren children = SoakChildren.of(scale, dataDir, i -> {
                     String name = SoakChildren.name("streams", i, scale.streams());
                     Map<String, String> env = new HashMap<>(common);
                     env.put("KEYWATCH_STREAMS_APPLICATION_ID", STREAMS_GROUP);
                     env.put("KEYWATCH_STREAMS_STATE_DIR", dataDir.resolve(name + "-state").toString());
                     // the client id names the instance in the group's member list (GroupAssignment)
                     env.put("KEYWATCH_STREAMS_CONFIG_CLIENT_ID", name);
                     // several instances on one host: each its own health port
                     env.put("KEYWATCH_STREAMS_HEALTH_PORT", "0");
                     env.put("KEYWATCH_SECRET_FINGERPRINT_KEY", fingerprintKey);
                     return env;
                 }, i -> {
                     Map<String, String> env = new HashMap<>(common);
                     env.put("KEYWATCH_DB_URL", postgres.jdbcUrl());
                     // migrations as the superuser (the tables' owner), the service's pool as a role that owns nothing
                     env.put("KEYWATCH_DB_MIGRATION_USER", postgres.user());
                     env.put("KEYWATCH_DB_MIGRATION_PASSWORD", postgres.password());
                     env.put("KEYWATCH_DB_USER", postgres.appUser());
                     env.put("KEYWATCH_DB_PASSWORD", postgres.appPassword());
                     env.put("KEYWATCH_DB_APP_ROLE", postgres.appUser());
                     env.put("KEYWATCH_HTTP_PORT", String.valueOf(httpPorts.get(i)));
                     env.put("KEYWATCH_ADMIN_TOKEN", token);
                     // every api instance shares the database, so one key-encryption key for all of them
                     env.put(SecretKeys.VAR, secretKeys);
                     env.put("KEYWATCH_API_CONSUMER_GROUP", API_GROUP);
                     env.put("KEYWATCH_ALERT_AUTO_RESOLVE_MINUTES", "0");
                     env.put("KEYWATCH_REVOKE_MAX_PER_WINDOW", "1000");
                     // the soak's own receiver listens on loopback over plain HTTP: allowed past the SSRF guard
                     env.put("KEYWATCH_WEBHOOK_ALLOW", "127.0.0.1");
                     env.put("KEYWATCH_WEBHOOK_ALLOW_HTTP", "true");
                     return env;
                 });
                 AutoCloseable onInterrupt = closeOnShutdown(children, postgres);
                 Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                List<Api> apis = httpPorts.stream().map(port -> new Api(port, token)).toList();
                Api api = apis.get(0);
                children.startAll();
                for (Api each : apis) {
                    each.awaitUp(Duration.ofSeconds(180));
                }
                receiver.secret(api.subscribe(receiver.url(), List.of(ScaleOutReport.KEY_REVOKED)));
                say("services up (%d streams, %d api instance(s); logs in %s); webhook receiver at %s; traffic from %s "
                                + "for %d s, %d kill(s)%s", scale.streams(), scale.apis(), dataDir, receiver.url(), start,
                        settings.traffic().toSeconds(), settings.kills(), scale.restart() ? "" : ", killed instances left dead");

                Chaos chaos = new Chaos(children, admin, topics.usageEvents(), killMoments(start), settings.seed(),
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

                Map<Integer, long[]> streamsOffsets = awaitDrained(admin, topics.usageEvents());
                List<JsonNode> alerts = awaitAlertsSettled(admin, api, topics.alerts());
                Map<Integer, long[]> apiOffsets = offsets(admin, API_GROUP, topics.alerts());
                long apiLag = apiLag(apiOffsets);
                String keys = api.keys();
                List<String> revoked = api.revokedKeyIds();
                List<WebhookReceiver.Delivery> deliveries = awaitWebhooks(receiver, revoked.size());

                List<DeadLetterRecord> deadLetters = new ArrayList<>();
                DeadLetterReader reader = new DeadLetterReader(bootstrap, Duration.ofSeconds(60));
                reader.forEach(topics.usageEventsDlq(), deadLetters::add);
                List<ScaleOutReport.KeyStateEntry> keyStates = new ArrayList<>();
                reader.forEach(topics.keyState(), record -> keyStates.add(keyStateEntry(record)));
                Map<String, Long> counted = TopologyCounts.requests(reader,
                        STREAMS_GROUP + "-" + KeywatchTopology.USAGE_STORE + "-changelog",
                        Set.copyOf(produced.incidentKeyBySeq().values()));
                say("read %,d dead letters, %,d alerts, %d revocation(s), %d webhook deliveries", deadLetters.size(),
                        alerts.size(), revoked.size(), deliveries.size());
                SecretScan scan = new SecretScan(produced.secrets())
                        .deadLetters("the usage-events DLQ", deadLetters);
                for (ChildService child : children.all()) {
                    scan = scan.file(child.log().getFileName().toString(), child.log());
                }
                Map<String, Long> shown = scan
                        .text("the API's alerts", alerts.toString())
                        .text("the API's keys", keys)
                        .shownByPlace();
                ScaleOutReport scaleOut = ScaleOutReport.of(scale, chaos.moves(), revoked, keyStates, deliveries,
                        streamsOffsets, apiOffsets);
                return SoakLedger.of(produced, deadLetters, incidentChecks(incidents, alerts), counted,
                        alerts.stream().filter(a -> SECRET_RULE.equals(a.path("rule").asText())).count(),
                        shown, streamsOffsets, apiLag, children.streamsKills(), children.apiKills(), scaleOut);
            }
        }
    }

    /** The key id and status of a key-state record; a record keywatch cannot read counts as status "unreadable". */
    private ScaleOutReport.KeyStateEntry keyStateEntry(DeadLetterRecord record) {
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            return new ScaleOutReport.KeyStateEntry(key, "deleted");
        }
        try {
            return new ScaleOutReport.KeyStateEntry(key, json.readTree(record.value()).path("status").asText("unreadable"));
        } catch (IOException e) {
            return new ScaleOutReport.KeyStateEntry(key, "unreadable");
        }
    }

    /**
     * Waits until the receiver holds a {@code key.revoked} delivery for each revocation and no new delivery came for
     * 10 s (a retry may still be on its way), at most 90 s: the relay sends after the revocation's transaction.
     */
    private List<WebhookReceiver.Delivery> awaitWebhooks(WebhookReceiver receiver, int revocations)
            throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        int lastCount = -1;
        long quietSince = System.nanoTime();
        while (true) {
            List<WebhookReceiver.Delivery> deliveries = receiver.deliveries();
            if (deliveries.size() != lastCount) {
                lastCount = deliveries.size();
                quietSince = System.nanoTime();
            }
            long ids = deliveries.stream().filter(d -> ScaleOutReport.KEY_REVOKED.equals(d.type()))
                    .map(WebhookReceiver.Delivery::webhookId).distinct().count();
            if (ids >= revocations && System.nanoTime() - quietSince > 10_000_000_000L) {
                return deliveries;
            }
            if (System.nanoTime() > deadline) {
                say("webhooks: %d distinct key.revoked id(s) for %d revocation(s) after 90 s; drawing up anyway", ids,
                        revocations);
                return deliveries;
            }
            Thread.sleep(1_000);
        }
    }

    /**
     * Ctrl-C must not leave the child JVMs and the embedded PostgreSQL (a process of its own) running without their
     * parent: a shutdown hook kills the children and stops PostgreSQL; closing the handle at the normal end removes it.
     */
    private AutoCloseable closeOnShutdown(SoakChildren children, AutoCloseable postgres) {
        Thread hook = new Thread(() -> {
            try {
                children.killAll();
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

    /** What each restart of a killed streams instance cost (after the run; see {@link RestartProbe}). */
    public List<RestartProbe.Figure> restarts() {
        return List.copyOf(restarts);
    }

    /**
     * Kills one streams instance at a time at the given moments (every third time an api instance too), restarts it
     * unless told not to — then measures (and waits) until detection works again ({@link RestartProbe}) — and records
     * how the group's partitions moved: the assignment just before the kill and once the group settled after it. A
     * kill that falls within the previous one's settling comes later than planned.
     */
    private final class Chaos implements Runnable {
        private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);
        private final SoakChildren children;
        private final Admin admin;
        private final String topic;
        private final List<Instant> moments;
        private final SplittableRandom rng;
        private final List<PartitionMove> moves = new CopyOnWriteArrayList<>();
        private final Set<String> dead = new TreeSet<>();
        private final RestartProbe probe;
        private int nextVictim;
        volatile Exception failure;

        Chaos(SoakChildren children, Admin admin, String topic, List<Instant> moments, long seed, RestartProbe probe) {
            this.children = children;
            this.admin = admin;
            this.topic = topic;
            this.moments = moments;
            this.rng = new SplittableRandom(seed ^ 0x63686173L);
            this.nextVictim = rng.nextInt(children.streams().size());
            this.probe = probe;
        }

        List<PartitionMove> moves() {
            return List.copyOf(moves);
        }

        @Override
        public void run() {
            try (probe) {
                int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
                for (int i = 0; i < moments.size(); i++) {
                    long wait = moments.get(i).toEpochMilli() - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    GroupAssignment before = GroupAssignment.describe(admin, STREAMS_GROUP, topic);
                    ChildService victim = victim(before);
                    Set<String> goneMembers = before.memberIdsOf(victim.name());
                    ChildService api = i % 3 == 1 ? children.apis().get((i / 3) % children.apis().size()) : null;
                    long killedAt = System.nanoTime();
                    victim.kill();
                    if (api != null) {
                        api.kill();
                    }
                    say("kill %d/%d: SIGKILL to %s (held partitions %s)%s", i + 1, moments.size(), victim.name(),
                            before.owners().entrySet().stream().filter(e -> e.getValue().equals(victim.name()))
                                    .map(Map.Entry::getKey).toList(),
                            api != null ? " and " + api.name() : "");
                    Thread.sleep(500 + rng.nextInt(4_000));
                    if (api != null) {
                        api.start();
                    }
                    if (scale.restart()) {
                        RestartProbe.Figure figure = probe.afterStart(victim, RestartProbe.KILL, i + 1);
                        restarts.add(figure);
                        say("kill %d/%d: %s RUNNING again after %.2f s, detecting again after %.2f s", i + 1,
                                moments.size(), victim.name(), figure.secondsToRunning(), figure.secondsToDetecting());
                    } else {
                        dead.add(victim.name());
                    }
                    Set<String> live = new TreeSet<>();
                    children.streams().stream().map(ChildService::name).filter(n -> !dead.contains(n)).forEach(live::add);
                    GroupAssignment after = before;
                    boolean settled = false;
                    long deadline = killedAt + SETTLE_TIMEOUT.toNanos();
                    while (!settled && System.nanoTime() < deadline) {
                        Thread.sleep(500);
                        after = GroupAssignment.describe(admin, STREAMS_GROUP, topic);
                        settled = after.settled(partitions, live, goneMembers);
                    }
                    PartitionMove move = PartitionMove.of(i + 1, victim.name(), scale.restart(), before, after, settled,
                            (System.nanoTime() - killedAt) / 1e9, partitions);
                    moves.add(move);
                    say("kill %d: group %s after %.1f s: partitions %s taken by %s%s", i + 1,
                            settled ? "settled" : "NOT settled", move.secondsToSettle(), move.killedPartitions(),
                            move.takenBy(), move.problem() == null ? "" : " (" + move.problem() + ")");
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        /** The next live instance in turn that holds partitions (so that the move can be seen), else the next live one. */
        private ChildService victim(GroupAssignment before) {
            List<ChildService> streams = children.streams();
            Set<String> holding = new HashSet<>(before.owners().values());
            ChildService fallback = null;
            for (int k = 0; k < streams.size(); k++) {
                ChildService candidate = streams.get((nextVictim + k) % streams.size());
                if (dead.contains(candidate.name())) {
                    continue;
                }
                if (fallback == null) {
                    fallback = candidate;
                }
                if (holding.contains(candidate.name())) {
                    nextVictim = (nextVictim + k + 1) % streams.size();
                    return candidate;
                }
            }
            if (fallback == null) {
                throw new IllegalStateException("no live streams instance left to kill");
            }
            nextVictim = (streams.indexOf(fallback) + 1) % streams.size();
            return fallback;
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
     * Waits until the API's alert consumer has caught up (its committed offsets at the log end: it commits past the
     * transaction markers) and the alert list has not changed for 15 s, or the drain timeout.
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
            boolean caughtUp = offsets.values().stream().allMatch(o -> o[1] - o[0] <= 0);
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

    /** Offsets of the alerts topic the API's consumer has not committed: 0 when caught up (markers included). */
    private static long apiLag(Map<Integer, long[]> offsets) {
        return lag(offsets);
    }

    private static long lag(Map<Integer, long[]> offsets) {
        return offsets.values().stream().mapToLong(o -> Math.max(0, o[1] - o[0])).sum();
    }

    private void announce(String bootstrap, String topic, TrafficModel model, List<IncidentPlan> incidents,
                          RecordSigningKeys signingKeys) {
        Instant created = Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        KeyMetadata metadata = new KeyMetadata("soak", "payments", List.of("payments:read", "payments:write"),
                created, null, null, Boolean.TRUE, null, null, null);
        List<KeyState> entries = new ArrayList<>(model.registry());
        for (IncidentPlan plan : incidents) {
            if (plan.kind() != IncidentKind.UNKNOWN_KEY) {
                entries.add(new KeyState(plan.keyId(), KeyStatus.ACTIVE, created, "registered", "soak", metadata));
            }
        }
        KeyAnnouncer.announce(bootstrap, topic, entries, signingKeys);
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

        /** One key id per revocation in the audit log (PostgreSQL): automatic, approved or by hand. */
        List<String> revokedKeyIds() throws IOException, InterruptedException {
            List<String> keyIds = new ArrayList<>();
            for (JsonNode entry : all("/api/v1/audit", 200)) {
                if (ScaleOutReport.REVOKING_ACTIONS.contains(entry.path("action").asText())) {
                    keyIds.add(entry.path("keyId").asText());
                }
            }
            return keyIds;
        }

        /** Subscribes a webhook endpoint to the given event types; returns the signing secret (never printed). */
        String subscribe(String url, List<String> eventTypes) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/webhooks"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                            Map.of("url", url, "eventTypes", eventTypes, "description", "keywatch-tools soak receiver"))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IOException("POST /api/v1/webhooks answered " + response.statusCode() + ": "
                        + SafeText.escape(response.body(), 300));
            }
            return json.readTree(response.body()).path("secret").asText();
        }

        private List<JsonNode> all(String route) throws IOException, InterruptedException {
            return all(route, 500);
        }

        private List<JsonNode> all(String route, int limit) throws IOException, InterruptedException {
            List<JsonNode> all = new ArrayList<>();
            String cursor = null;
            do {
                String path = route + "?limit=" + limit
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
