package io.keywatch.tools.bench;

import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.TopicLeaders;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.Topics;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.streams.KeywatchTopology;
import io.keywatch.streams.detect.KeyOverprivilegedRule;
import io.keywatch.streams.detect.KeyUnusedRule;
import io.keywatch.streams.route.KeyPartitioner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A million keys: registers {@code keys} keys on the key-state topic, drives one event per key (with a scope) through
 * keywatch's topology running alone in a child JVM with a fixed heap ({@link MillionKeysTopology}), and reports the
 * heap after a full GC, the stores on disk and the fill rate; then deletes the topology's local state, starts it again
 * and times the restore from the changelogs until RUNNING and until a detection (a canary key's use) works again;
 * then runs the daily hygiene pass over every key and counts what it raised, and what a second pass the same day
 * de-duplicated.
 *
 * <p>Stream time, not wall-clock time, drives the detectors, so the phase writes its own calendar: the fill at
 * {@code T0}, ten days before the hygiene day {@code T1}. Every eighth key is due for rotation at {@code T1}, one is
 * expiring, one has been unused for longer than its own {@code unused.days} (7), one holds a scope it did not use
 * within its own {@code overprivileged.unusedDays} (7); the other half is clean. A hygiene pass steps forward every
 * {@code 10 s} of stream time, so the phase sends one "tick" event per partition, each 10 s of stream time after the
 * last, until the pass has raised what it should.
 */
final class MillionKeysPhase {

    static final String APPLICATION_ID = "keywatch-bench-million";
    private static final int PARTITIONS = 3;
    private static final String CANARY = "kw-mk-canary";
    private static final long TICK_MS = 10_000;
    /** The default hygiene.scanMinutes (10) in ticks. */
    private static final int SCAN_INTERVAL_TICKS = 60;
    private static final JsonSerde<UsageEvent> EVENT_JSON = new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class);
    private static final Duration PHASE_TIMEOUT = Duration.ofHours(3);
    private static final Duration CANARY_TIMEOUT = Duration.ofMinutes(Long.getLong("keywatch.bench.canaryMinutes", 10));

    private final int keys;
    private final int heapMb;
    private final Progress progress;
    private final List<TopologyChild> children = new ArrayList<>();

    MillionKeysPhase(int keys, int heapMb, Progress progress) {
        if (keys < 16) {
            throw new IllegalArgumentException("need at least 16 keys, got " + keys);
        }
        if (heapMb < 64) {
            throw new IllegalArgumentException("need a heap of at least 64 MiB, got " + heapMb);
        }
        this.keys = keys;
        this.heapMb = heapMb;
        this.progress = progress;
    }

    static String keyId(int i) {
        return String.format(Locale.ROOT, "kw-mk-%07d", i);
    }

    /** What the hygiene pass should raise for key {@code i} on the hygiene day, or null for a clean key. */
    static AlertRule expectedFinding(int i) {
        return switch (i % 8) {
            case 0 -> AlertRule.KEY_ROTATION_DUE;
            case 1 -> AlertRule.KEY_EXPIRING;
            case 2 -> AlertRule.KEY_UNUSED;
            case 3 -> AlertRule.KEY_OVERPRIVILEGED;
            default -> null;
        };
    }

    static Map<AlertRule, Integer> expectedFindings(int keys) {
        Map<AlertRule, Integer> expected = new EnumMap<>(AlertRule.class);
        for (int i = 0; i < keys; i++) {
            AlertRule rule = expectedFinding(i);
            if (rule != null) {
                expected.merge(rule, 1, Integer::sum);
            }
        }
        return expected;
    }

    /** Key {@code i}'s registry entry; see the class comment for what each eighth of the keys is for. */
    static KeyState registration(int i, Instant t0, Instant t1) {
        Instant created = t0.minus(1, ChronoUnit.DAYS);
        Instant expires = null;
        Map<String, Double> thresholds = null;
        switch (i % 8) {
            case 0 -> created = t1.minus(95, ChronoUnit.DAYS); // 85 days old at T0, 95 at T1 (rotation: 90)
            case 1 -> expires = t1.plus(7, ChronoUnit.DAYS); // 17 days away at T0, 7 at T1 (warning: 14)
            case 2 -> thresholds = Map.of(KeyUnusedRule.DAYS.key(), 7.0);
            case 3 -> thresholds = Map.of(KeyOverprivilegedRule.UNUSED_DAYS.key(), 7.0);
            default -> {
            }
        }
        KeyMetadata metadata = new KeyMetadata("team-" + (i % 97), "svc-" + (i % 13), List.of("read", "write"),
                created, expires, 600, Boolean.FALSE, null, null, thresholds);
        return new KeyState(keyId(i), KeyStatus.ACTIVE, created, "registered", "bench", metadata);
    }

    private static KeyState canary(Instant t0) {
        KeyMetadata metadata = new KeyMetadata("security", "decoys", List.of("read"), t0.minus(1, ChronoUnit.DAYS),
                null, null, Boolean.FALSE, null, null, null, Boolean.TRUE, "bench");
        return new KeyState(CANARY, KeyStatus.ACTIVE, t0.minus(1, ChronoUnit.DAYS), "registered", "bench", metadata);
    }

    private TopologyChild started(TopologyChild child) {
        children.add(child);
        return child;
    }

    /** An ordinary request with scope {@code read}, written by the same serde as the publishers'. */
    private static byte[] event(String keyId, long timestamp, String id) {
        return EVENT_JSON.toBytes(new UsageEvent(id, keyId, Instant.ofEpochMilli(timestamp), "svc", "GET", "/v1/items",
                200, AuthResult.OK, "10.1.2.3", "bench", "DE", 12, "read", Boolean.TRUE, null));
    }

    MillionKeysReport run() throws Exception {
        Path dataDir = Files.createTempDirectory("keywatch-million-");
        try {
            return run(dataDir);
        } finally {
            // a failed phase may leave a topology JVM running: gone before its state folder is deleted
            for (TopologyChild child : children) {
                child.close();
            }
            deleteTree(dataDir);
        }
    }

    private MillionKeysReport run(Path dataDir) throws Exception {
        // the hygiene day starts an hour after a UTC midnight two days ago; the fill is ten days before it
        Instant t1 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS);
        Instant t0 = t1.minus(10, ChronoUnit.DAYS);
        Path stateDir = dataDir.resolve("streams-state");
        progress.say("million keys: %,d keys, topology in a child JVM with -Xmx%dm; data in %s", keys, heapMb, dataDir);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0)) {
            String bootstrap = broker.bootstrapServers();
            Topics topics = Topics.DEFAULTS;
            keepForever(bootstrap, topics.usageEvents(), topics.alerts());
            new TopicProvisioner(bootstrap, Duration.ofSeconds(30)).ensure(topics, PARTITIONS, (short) 1);
            RecordSigningKeys signing = RecordSigningKeys.random("million");
            Map<String, String> env = new HashMap<>();
            env.put("KEYWATCH_KAFKA_BOOTSTRAP", bootstrap);
            env.put("KEYWATCH_TOPIC_PARTITIONS", String.valueOf(PARTITIONS));
            env.put("KEYWATCH_STREAMS_APPLICATION_ID", APPLICATION_ID);
            env.put("KEYWATCH_STREAMS_STATE_DIR", stateDir.toString());
            env.put("KEYWATCH_SECRET_FINGERPRINT_KEY", randomKey());
            env.put(RecordSigningKeys.VAR, signing.toEnvValue());
            // the operator's own streams settings (hot keys, cache, stores) apply, as they would in production
            System.getenv().forEach((name, value) -> {
                if (name.startsWith("KEYWATCH_STREAMS_") && !env.containsKey(name)) {
                    env.put(name, value);
                }
            });

            long registerStart = System.nanoTime();
            List<KeyState> registry = new AbstractList<>() {
                @Override
                public KeyState get(int index) {
                    return index == keys ? canary(t0) : registration(index, t0, t1);
                }

                @Override
                public int size() {
                    return keys + 1;
                }
            };
            KeyAnnouncer.announce(bootstrap, topics.keyState(), registry, signing);
            double registerSeconds = (System.nanoTime() - registerStart) / 1e9;
            progress.say("million keys: announced %,d keys in %.1f s", keys + 1, registerSeconds);

            try (AlertCounter alerts = new AlertCounter(bootstrap, topics.alerts());
                 Producer<String, byte[]> producer = producer(bootstrap);
                 Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                ConsumerLag lag = new ConsumerLag(admin);
                // 1. first start (the registry loads into the global store before RUNNING), then the fill
                TopologyChild first = started(TopologyChild.start(env, heapMb, dataDir.resolve("topology-1.log")));
                double firstStartSeconds = first.awaitRunning(Duration.ofMinutes(30));
                progress.say("million keys: topology RUNNING %.1f s after its start (registry loaded)",
                        firstStartSeconds);
                long fillStart = System.nanoTime();
                for (int i = 0; i < keys; i++) {
                    String keyId = keyId(i);
                    long timestamp = t0.toEpochMilli() + (long) i * 9_000 / keys;
                    producer.send(new ProducerRecord<>(topics.usageEvents(), null, timestamp, keyId,
                            event(keyId, timestamp, "fill-" + i)));
                    if (i > 0 && i % 200_000 == 0) {
                        progress.say("million keys: fill: %,d events sent", i);
                    }
                }
                producer.flush();
                double sentSeconds = (System.nanoTime() - fillStart) / 1e9;
                long doneAt = lag.awaitCaughtUp(APPLICATION_ID, topics.usageEvents(), keys, PHASE_TIMEOUT.toNanos(),
                        backlog -> progress.say("million keys: fill: %,d events to go", backlog));
                double fillSeconds = (doneAt - fillStart) / 1e9;
                progress.say("million keys: %,d events through the topology in %.1f s (%,.0f events/s; sent in "
                        + "%.1f s)", keys, fillSeconds, keys / fillSeconds, sentSeconds);
                // a commit interval and a bit, so that every store's last writes are flushed before the count
                Thread.sleep(2_000);
                MillionKeysReport.ChildFootprint afterFill = first.footprint();
                progress.say("million keys: after the fill: heap after full GC %.1f MiB of %.0f MiB, GC %.1f s in "
                        + "%.0f s, RSS %.0f MiB", afterFill.heapAfterGcMiB(), afterFill.heapMaxMiB(),
                        afterFill.gcSeconds(), afterFill.uptimeSeconds(), afterFill.rssMiB());
                first.stop();
                // after the close, which flushes RocksDB's memtables: before it, most of the state is not on disk yet
                Map<String, Double> stores = storeSizesMiB(stateDir);
                progress.say("million keys: stores on disk: %s", MillionKeysReporter.mib(stores));
                long deadLetters = endOffsets(admin, topics.usageEventsDlq());
                if (deadLetters > 0) {
                    throw new IllegalStateException(deadLetters + " of the fill's events were dead-lettered: the "
                            + "phase's events must be valid (see " + dataDir.resolve("topology-1.log") + ")");
                }

                // 2. the local state is lost: restore from the changelogs (and the key-state topic)
                deleteTree(stateDir);
                progress.say("million keys: state folder deleted; starting the topology again");
                TopologyChild second = started(TopologyChild.start(env, heapMb, dataDir.resolve("topology-2.log")));
                long secondStart = System.nanoTime();
                double restoreSeconds = second.awaitRunning(Duration.ofMinutes(60));
                long canaryEventAt = t0.toEpochMilli() + 9_500;
                producer.send(new ProducerRecord<>(topics.usageEvents(), null, canaryEventAt, CANARY,
                        event(CANARY, canaryEventAt, "canary-after-restore")));
                producer.flush();
                if (!alerts.awaitRule(AlertRule.CANARY_KEY_USED, 1, CANARY_TIMEOUT)) {
                    throw new IllegalStateException("no CANARY_KEY_USED alert within 10 minutes of the restore; " + alerts);
                }
                double detectingSeconds = (System.nanoTime() - secondStart) / 1e9;
                progress.say("million keys: restored: RUNNING after %.1f s, detecting (canary alert) after %.1f s",
                        restoreSeconds, detectingSeconds);

                // 3. the hygiene day: ticks move stream time 10 s at a time until the pass raised what it should
                Map<AlertRule, Integer> expected = expectedFindings(keys);
                int expectedTotal = expected.values().stream().mapToInt(Integer::intValue).sum();
                KeyPartitioner partitioner = new KeyPartitioner(PARTITIONS);
                String[] tickKeys = tickKeys(partitioner);
                Map<AlertRule, Integer> before = alerts.hygieneCounts();
                long hygieneStart = System.nanoTime();
                int stepsPerPass = (keys + 1 + 1_999) / 2_000;
                Ticker ticker = new Ticker(producer, topics.usageEvents(), tickKeys, t1.toEpochMilli(),
                        () -> lag.lag(APPLICATION_ID, topics.usageEvents()) == 0);
                boolean complete = ticker.until(() -> alerts.hygieneTotal(before) >= expectedTotal,
                        PHASE_TIMEOUT, progress, () -> alerts.hygieneTotal(before), expectedTotal);
                double passSeconds = (System.nanoTime() - hygieneStart) / 1e9;
                int passTicks = ticker.ticks();
                double longestTick = ticker.longestSeconds();
                Map<AlertRule, Integer> raised = alerts.since(before);
                progress.say("million keys: hygiene pass %s in %.1f s wall, %d ticks (%,d s of stream time), longest "
                        + "tick %.2f s (tick %d): %s", complete ? "complete" : "INCOMPLETE", passSeconds, passTicks,
                        passTicks * TICK_MS / 1000, longestTick, ticker.longestTick(), raised);
                // a second pass the same day raises nothing new: its findings are de-duplicated per key and window
                Map<AlertRule, Integer> afterFirst = alerts.hygieneCounts();
                // the next pass starts a scan interval (10 minutes: 60 ticks) after the last began, or at once when the
                // pass took longer; then it takes as many steps again
                ticker.ticks(Math.max(0, SCAN_INTERVAL_TICKS - passTicks) + stepsPerPass + 2);
                Thread.sleep(2_000);
                int secondPass = alerts.hygieneTotal(afterFirst);
                MillionKeysReport.ChildFootprint atEnd = second.footprint();
                int rebalances = second.rebalancesAfterRunning();
                progress.say("million keys: second pass the same day raised %d (de-duplicated %,d); heap after full "
                        + "GC %.1f MiB, GC %.1f s in %.0f s; %d rebalances after RUNNING", secondPass, expectedTotal,
                        atEnd.heapAfterGcMiB(), atEnd.gcSeconds(), atEnd.uptimeSeconds(), rebalances);
                second.stop();
                return new MillionKeysReport(keys, heapMb, registerSeconds, firstStartSeconds, keys,
                        fillSeconds, keys / fillSeconds, afterFill, new TreeMap<>(stores), restoreSeconds,
                        detectingSeconds, complete, passSeconds, passTicks, passTicks * TICK_MS / 1000, longestTick,
                        toNames(expected), toNames(raised), secondPass, atEnd, rebalances);
            }
        }
    }

    /**
     * The phase's events are dated up to twelve days back (its calendar): with the broker's default retention of
     * seven days they would be deleted before the topology read them.
     */
    private static void keepForever(String bootstrap, String... names) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, PARTITIONS, (short) 1)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
            }
            admin.createTopics(topics).all().get();
            // a burst to a partition its leader does not serve yet can be lost (see TopicLeaders)
            new TopicLeaders(admin, Duration.ofSeconds(30)).await(List.of(names));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the phase's topics: " + e.getCause(), e.getCause());
        }
    }

    private static Map<String, Integer> toNames(Map<AlertRule, Integer> counts) {
        Map<String, Integer> named = new TreeMap<>();
        counts.forEach((rule, count) -> named.put(rule.name(), count));
        return named;
    }

    private static long endOffsets(Admin admin, String topic) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            request.put(new TopicPartition(topic, p),
                    OffsetSpec.latest());
        }
        return admin.listOffsets(request).all().get().values().stream().mapToLong(info -> info.offset()).sum();
    }

    /** One clean registered key per partition: its events move that task's stream time. */
    private String[] tickKeys(KeyPartitioner partitioner) {
        String[] found = new String[PARTITIONS];
        int left = PARTITIONS;
        for (int i = 0; i < keys && left > 0; i++) {
            if (expectedFinding(i) == null) {
                int partition = partitioner.partitionOf(keyId(i));
                if (found[partition] == null) {
                    found[partition] = keyId(i);
                    left--;
                }
            }
        }
        if (left > 0) {
            throw new IllegalStateException("no clean key on every partition among " + keys + " keys");
        }
        return found;
    }

    /** The size of each store's folders under the state folder (all tasks together), by store name, in MiB. */
    static Map<String, Double> storeSizesMiB(Path stateDir) throws IOException {
        Map<String, Double> sizes = new TreeMap<>();
        if (!Files.isDirectory(stateDir)) {
            return sizes;
        }
        List<String> names = List.of(KeywatchTopology.KEY_STATES_STORE, KeywatchTopology.PROFILE_STORE,
                KeywatchTopology.SCOPE_USAGE_STORE, KeywatchTopology.USAGE_STORE, KeywatchTopology.CLOCK_STORE);
        try (Stream<Path> dirs = Files.walk(stateDir)) {
            dirs.filter(Files::isDirectory).filter(dir -> names.contains(String.valueOf(dir.getFileName())))
                    .forEach(dir -> sizes.merge(dir.getFileName().toString(), Footprint.sizeOf(dir) / 1048576.0,
                            Double::sum));
        }
        sizes.put("total", Footprint.sizeOf(stateDir) / 1048576.0);
        return sizes;
    }

    private static Producer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Moves every task's stream time forward by {@value #TICK_MS} ms per tick, one event per partition. */
    private static final class Ticker {
        private final Producer<String, byte[]> producer;
        private final String topic;
        private final String[] tickKeys;
        private final BooleanSupplier caughtUp;
        private long next;
        private int ticks;
        private long longestNanos;
        private int longestTick;

        Ticker(Producer<String, byte[]> producer, String topic, String[] tickKeys, long first,
               BooleanSupplier caughtUp) {
            this.producer = producer;
            this.topic = topic;
            this.tickKeys = tickKeys;
            this.next = first;
            this.caughtUp = caughtUp;
        }

        int ticks() {
            return ticks;
        }

        /** Which tick (1: the first of the hygiene day) took longest. */
        int longestTick() {
            return longestTick;
        }

        /** The longest a tick took from its send until the topology had processed and committed it. */
        double longestSeconds() {
            return longestNanos / 1e9;
        }

        void ticks(int count) throws InterruptedException {
            for (int i = 0; i < count; i++) {
                tick();
            }
        }

        private void tick() throws InterruptedException {
            long sent = System.nanoTime();
            for (String keyId : tickKeys) {
                producer.send(new ProducerRecord<>(topic, null, next, keyId, event(keyId, next, "tick-" + ticks)));
            }
            producer.flush();
            next += TICK_MS;
            ticks++;
            // one step per tick: the next tick goes once the topology has processed (and committed) this one, since
            // a stream-time punctuator fires once however many of its intervals a batch of records moves past
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (!caughtUp.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the topology did not process a tick within 10 minutes");
                }
                Thread.sleep(2);
            }
            long took = System.nanoTime() - sent;
            if (took > longestNanos) {
                longestNanos = took;
                longestTick = ticks;
            }
        }

        boolean until(BooleanSupplier done, Duration timeout, Progress progress,
                      IntSupplier count, int expected) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastReport = System.nanoTime();
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                tick();
                if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                    progress.say("million keys: hygiene: %,d of %,d alerts after %d ticks", count.getAsInt(),
                            expected, ticks);
                    lastReport = System.nanoTime();
                }
            }
            return true;
        }
    }

    /** Reads the alerts topic (read committed) in the background and counts alerts by rule. */
    private static final class AlertCounter implements AutoCloseable {
        private static final List<AlertRule> HYGIENE = List.of(AlertRule.KEY_ROTATION_DUE, AlertRule.KEY_EXPIRING,
                AlertRule.KEY_UNUSED, AlertRule.KEY_OVERPRIVILEGED);
        private final Map<AlertRule, AtomicLong> counts = new EnumMap<>(AlertRule.class);
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong unreadable = new AtomicLong();
        private volatile String lastError;
        private final Thread reader;

        AlertCounter(String bootstrap, String topic) {
            for (AlertRule rule : AlertRule.values()) {
                counts.put(rule, new AtomicLong());
            }
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "keywatch-bench-million-alerts");
            JsonSerde<Alert> json = new JsonSerde<>(KeywatchJson.newMapper(), Alert.class);
            reader = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer.subscribe(List.of(topic));
                    while (!stop.get()) {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                            try {
                                counts.get(json.fromBytes(record.value()).rule()).incrementAndGet();
                            } catch (RuntimeException e) {
                                // counted and shown: a reader that died here would read as "no alert"
                                unreadable.incrementAndGet();
                                lastError = e.toString();
                            }
                        }
                    }
                }
            }, "bench-million-alerts");
            reader.setDaemon(true);
            reader.start();
        }

        boolean awaitRule(AlertRule rule, int atLeast, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (counts.get(rule).get() < atLeast) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(20);
            }
            return true;
        }

        @Override
        public String toString() {
            Map<AlertRule, Long> seen = new EnumMap<>(AlertRule.class);
            counts.forEach((rule, count) -> {
                if (count.get() > 0) {
                    seen.put(rule, count.get());
                }
            });
            return "alerts read " + seen + ", unreadable " + unreadable.get()
                    + (lastError == null ? "" : " (last: " + lastError + ")");
        }

        Map<AlertRule, Integer> hygieneCounts() {
            Map<AlertRule, Integer> now = new EnumMap<>(AlertRule.class);
            HYGIENE.forEach(rule -> now.put(rule, (int) counts.get(rule).get()));
            return now;
        }

        Map<AlertRule, Integer> since(Map<AlertRule, Integer> before) {
            Map<AlertRule, Integer> now = hygieneCounts();
            now.replaceAll((rule, count) -> count - before.getOrDefault(rule, 0));
            return now;
        }

        int hygieneTotal(Map<AlertRule, Integer> before) {
            return since(before).values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            reader.join(5_000);
        }
    }
}
