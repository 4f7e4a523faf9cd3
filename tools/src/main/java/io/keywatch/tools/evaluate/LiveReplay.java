package io.keywatch.tools.evaluate;

import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.standalone.Folders;

import io.keywatch.events.Alert;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.TopicLeaders;
import io.keywatch.events.Topics;
import io.keywatch.events.UsageEvent;
import io.keywatch.client.PublisherSettings;
import io.keywatch.client.UsageEventPublisher;
import io.keywatch.standalone.EmbeddedKafkaClientEnv;
import io.keywatch.tools.backtest.Backtest;
import io.keywatch.streams.KeywatchStreamsService;
import io.keywatch.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Replays a day through the live pipeline: keywatch's topology run by {@link KeywatchStreamsService} against a Kafka
 * cluster (the embedded broker, for {@code keywatch-tools evaluate --live}), fed through the usage-events and key-state
 * topics like production, and the alerts read back from the alerts topic: what a backtest of the same day should
 * equal.
 *
 * <p>How the run matches what a backtest does:
 * <ul>
 *   <li>Every run gets its own topics and application id, so that runs on one broker do not see each other.</li>
 *   <li>The topics have <em>one partition</em>, like the backtest's driver. With several, the results could differ
 *   for reasons that are not detection: each task keeps its own stream time, so the hygiene scan (a stream-time
 *   punctuator that starts its KEY_UNUSED clock at the task's first event and reports each key from one task) runs at
 *   other times on each partition; the per-key detectors would agree.</li>
 *   <li>The topics keep their records forever ({@code retention.ms=-1}): a replayed day lies in the past, often more
 *   than the broker's default seven days, and Kafka deletes by record time.</li>
 *   <li>Key states go in as the backtest feeds them: the registry before the first event, and the topology is
 *   waited for until it knows every key (else the first events would look like unknown keys); each later change
 *   (the revocation before a revoked-key reuse) just before the first event at or after its {@code changedAt}: once
 *   the topology has processed every event before it, and the events after it only once the topology has it. The
 *   key-state topic is read by a global thread apart from the events, so these waits are what keep the order the
 *   backtest has.</li>
 *   <li>The events go in in order, each with its event time as the record time.</li>
 *   <li>The run is over when the application's committed offset on the usage-events topic reaches its end (under
 *   exactly-once, the alerts an event raised are committed with its offset); then the alerts topic is read to its
 *   end with {@code read_committed}.</li>
 * </ul>
 */
public final class LiveReplay {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration KEY_STATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    /**
     * What a live run produced.
     *
     * @param alerts       every alert read from the alerts topic, escalations included, in topic order
     * @param events       events published
     * @param keyStates    key states published
     * @param deadLettered records the topology sent to the dead-letter topic
     * @param publishTime  from the first published event to the last acknowledged one (with the waits for the
     *                     topology to catch up before each key-state change)
     * @param elapsed      the whole run: start of the topology to the last alert read
     */
    public record Result(List<Alert> alerts, long events, long keyStates, long deadLettered, Duration publishTime,
                         Duration elapsed) {
    }

    private final String bootstrapServers;
    private final Map<String, String> env;
    private final Path workDir;
    private Duration stallTimeout = Duration.ofSeconds(120);

    /**
     * @param bootstrapServers the Kafka cluster to run on
     * @param env              keywatch settings (detector thresholds, grace, ...) as for the streams service; the
     *                         Kafka address, topics, partitions, application id and state directory are the run's own
     * @param workDir          where the topology's state directories go (removed after each run)
     */
    public LiveReplay(String bootstrapServers, Map<String, String> env, Path workDir) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.env = Map.copyOf(env);
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    /** Gives up when the topology makes no progress for this long (default 2 min). */
    public LiveReplay withStallTimeout(Duration timeout) {
        LiveReplay copy = new LiveReplay(bootstrapServers, env, workDir);
        copy.stallTimeout = timeout;
        return copy;
    }

    /**
     * The settings a run uses: {@code env} with this run's Kafka address, topics ({@code keywatch-evaluate-<runId>.*}),
     * one partition, application id and state directory.
     */
    StreamsSettings settings(String runId) {
        Map<String, String> merged = new HashMap<>(env);
        // the replay runs on its own embedded PLAINTEXT broker: an external cluster's SASL/TLS settings do not apply
        EmbeddedKafkaClientEnv.dropSecurity(merged);
        merged.put("KEYWATCH_KAFKA_BOOTSTRAP", bootstrapServers);
        merged.put("KEYWATCH_STREAMS_APPLICATION_ID", "keywatch-evaluate-" + runId);
        merged.put("KEYWATCH_STREAMS_STATE_DIR", workDir.resolve("streams-" + runId).toString());
        merged.put("KEYWATCH_TOPIC_PARTITIONS", "1");
        String prefix = "keywatch-evaluate-" + runId + ".";
        merged.put("KEYWATCH_TOPIC_USAGE_EVENTS", prefix + "usage-events");
        merged.put("KEYWATCH_TOPIC_USAGE_EVENTS_DLQ", prefix + "usage-events.dlq");
        merged.put("KEYWATCH_TOPIC_ALERTS", prefix + "alerts");
        merged.put("KEYWATCH_TOPIC_KEY_STATE", prefix + "key-state");
        StreamsSettings settings = StreamsSettings.fromEnv(merged);
        // this run's topics only: a key of its own when none is configured, to sign the key states it publishes
        return settings.recordSigningKeys() != null ? settings
                : settings.withRecordSigningKeys(RecordSigningKeys.random("evaluate-" + runId));
    }

    /**
     * Runs {@code events} (in time order) with {@code keyStates} through the live topology and returns the alerts.
     *
     * @param progress told what happens during the long phases, a line at a time
     * @throws IllegalStateException when the topology does not start, does not take the key states, or stalls
     */
    public Result run(Iterator<UsageEvent> events, List<KeyState> keyStates, Consumer<String> progress) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(keyStates, "keyStates");
        Objects.requireNonNull(progress, "progress");
        String runId = UUID.randomUUID().toString().substring(0, 8);
        StreamsSettings settings = settings(runId);
        long started = System.nanoTime();
        try (Admin admin = Admin.create(adminProps())) {
            createTopics(admin, settings.topics());
            KeywatchStreamsService streams = new KeywatchStreamsService(settings);
            try {
                streams.start();
                if (!awaitRunning(streams)) {
                    throw new IllegalStateException("the live topology did not start within " + START_TIMEOUT
                            + " (state " + streams.state() + ")");
                }
                progress.accept("live: topology running (application " + settings.applicationId() + ", topics "
                        + settings.topics().usageEvents() + " and others, 1 partition)");
                Feed feed = new Feed(streams, settings.topics(), progress,
                        new RecordSignatures(settings.recordSigningKeys()));
                Result result = feed.run(events, keyStates, admin, settings.applicationId(), started);
                return result;
            } finally {
                streams.close();
                Folders.deleteRecursively(settings.stateDir());
            }
        }
    }

    /** One run's producers and counters. */
    private final class Feed {
        private final KeywatchStreamsService streams;
        private final Topics topics;
        private final RecordSignatures signatures;
        private final Consumer<String> progress;
        private final JsonSerde<KeyState> keyStateSerde = new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class);
        private long keyStatesPublished;
        private long published;
        private Admin admin;
        private String applicationId;

        Feed(KeywatchStreamsService streams, Topics topics, Consumer<String> progress, RecordSignatures signatures) {
            this.signatures = signatures;
            this.streams = streams;
            this.topics = topics;
            this.progress = progress;
        }

        Result run(Iterator<UsageEvent> events, List<KeyState> keyStates, Admin admin, String applicationId,
                   long started) {
            this.admin = admin;
            this.applicationId = applicationId;
            UsageEvent first = events.hasNext() ? events.next() : null;
            Instant start = first != null ? first.timestamp() : Instant.EPOCH;
            Deque<KeyState> timed = new ArrayDeque<>();
            List<KeyState> initial = Backtest.initialStates(keyStates, start, timed);
            long publishStarted;
            try (KafkaProducer<String, byte[]> stateProducer = new KafkaProducer<>(stateProducerProps(),
                    new StringSerializer(), new ByteArraySerializer());
                 UsageEventPublisher publisher = new UsageEventPublisher(
                         new KafkaProducer<>(PublisherSettings.of(bootstrapServers).producerProperties()),
                         topics.usageEvents(), null)) {
                for (KeyState state : initial) {
                    send(stateProducer, state);
                }
                stateProducer.flush();
                awaitKnown(initial);
                progress.accept(String.format(Locale.ROOT, "live: the topology knows all %d key states; publishing "
                        + "events", initial.size()));
                publishStarted = System.nanoTime();
                long lastReport = publishStarted;
                UsageEvent event = first;
                while (event != null) {
                    while (!timed.isEmpty() && !timed.peek().changedAt().isAfter(event.timestamp())) {
                        publishTimed(timed.poll(), stateProducer, publisher);
                    }
                    publisher.accept(event);
                    published++;
                    if ((published & 1023) == 0 && System.nanoTime() - lastReport > PROGRESS_EVERY.toNanos()) {
                        lastReport = System.nanoTime();
                        progress.accept(String.format(Locale.ROOT, "live: %,d events published, event time %s",
                                published, event.timestamp()));
                    }
                    event = events.hasNext() ? events.next() : null;
                }
                while (!timed.isEmpty()) {
                    publishTimed(timed.poll(), stateProducer, publisher);
                }
                publisher.flush();
                if (publisher.errors() > 0) {
                    throw new IllegalStateException(publisher.errors() + " events could not be published to "
                            + topics.usageEvents());
                }
            }
            Duration publishTime = Duration.ofNanos(System.nanoTime() - publishStarted);
            progress.accept(String.format(Locale.ROOT, "live: published %,d events in %.1f s; waiting for the "
                    + "topology to process them", published, publishTime.toMillis() / 1000.0));
            awaitProcessed(true);
            List<Alert> alerts = readAll(topics.alerts(), Alert.class);
            long deadLettered = readAll(topics.usageEventsDlq(), null).size();
            return new Result(alerts, published, keyStatesPublished, deadLettered, publishTime,
                    Duration.ofNanos(System.nanoTime() - started));
        }

        /**
         * Publishes a key-state change at its place among the events: only once the topology has processed every
         * event before it (the publisher runs far ahead of processing, and the global thread would otherwise apply
         * the change to events that came before it: a hygiene scan at midnight would already skip a key revoked in
         * the evening), and the events after it only once the topology has it.
         */
        private void publishTimed(KeyState state, KafkaProducer<String, byte[]> stateProducer,
                                  UsageEventPublisher publisher) {
            publisher.flush();
            if (publisher.errors() > 0) {
                throw new IllegalStateException(publisher.errors() + " events could not be published to "
                        + topics.usageEvents());
            }
            progress.accept(String.format(Locale.ROOT, "live: waiting for the topology to process the %,d events "
                    + "before key %s changes to %s at %s", published, state.keyId(), state.status(), state.changedAt()));
            awaitProcessed(false);
            send(stateProducer, state);
            stateProducer.flush();
            awaitKnown(List.of(state));
            progress.accept("live: key " + state.keyId() + " is " + state.status() + " from " + state.changedAt()
                    + " (the topology has it)");
        }

        private void send(KafkaProducer<String, byte[]> producer, KeyState state) {
            byte[] value = keyStateSerde.toBytes(state);
            producer.send(new ProducerRecord<>(topics.keyState(), null, state.changedAt().toEpochMilli(),
                    state.keyId(), value, signatures.sign(topics.keyState(),
                            state.keyId().getBytes(java.nio.charset.StandardCharsets.UTF_8), value,
                            new org.apache.kafka.common.header.internals.RecordHeaders())));
            keyStatesPublished++;
        }

        /** Waits until the topology's global store holds each key's given state (its status and time). */
        private void awaitKnown(List<KeyState> states) {
            // a later state of the same key replaces an earlier one: wait for each key's last
            Map<String, KeyState> last = new HashMap<>();
            states.forEach(s -> last.put(s.keyId(), s));
            long deadline = System.nanoTime() + KEY_STATE_TIMEOUT.toNanos();
            List<KeyState> pending = new ArrayList<>(last.values());
            while (!pending.isEmpty()) {
                pending.removeIf(this::known);
                if (pending.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the topology did not take " + pending.size() + " key states "
                            + "within " + KEY_STATE_TIMEOUT + ", e.g. " + pending.get(0).keyId());
                }
                sleep(50);
            }
        }

        private boolean known(KeyState state) {
            try {
                Optional<KeyState> current = streams.keyState(state.keyId());
                return current.isPresent() && current.get().status() == state.status()
                        && current.get().changedAt().equals(state.changedAt());
            } catch (IllegalStateException e) {
                return false; // not queryable yet (restoring the global store)
            }
        }

        /** Waits until the application's committed offset on the usage-events topic covers every event. */
        private void awaitProcessed(boolean last) {
            TopicPartition partition = new TopicPartition(topics.usageEvents(), 0);
            long end = endOffset(admin, partition);
            long committed = -1;
            long lastChange = System.nanoTime();
            long lastReport = System.nanoTime();
            while (true) {
                long now = committed(admin, applicationId, partition);
                if (now != committed) {
                    committed = now;
                    lastChange = System.nanoTime();
                }
                if (committed >= end) {
                    if (last) {
                        progress.accept(String.format(Locale.ROOT, "live: the topology processed all %,d events",
                                published));
                    }
                    return;
                }
                if (System.nanoTime() - lastChange > stallTimeout.toNanos()) {
                    throw new IllegalStateException(String.format(Locale.ROOT, "the live topology made no progress "
                            + "for %s: %,d of %,d records processed (state %s)", stallTimeout, Math.max(0, committed),
                            end, streams.state()));
                }
                if (System.nanoTime() - lastReport > PROGRESS_EVERY.toNanos()) {
                    lastReport = System.nanoTime();
                    progress.accept(String.format(Locale.ROOT, "live: %,d of %,d events processed (lag %,d)",
                            Math.max(0, committed), end, end - Math.max(0, committed)));
                }
                sleep(250);
            }
        }
    }

    private long endOffset(Admin admin, TopicPartition partition) {
        try {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(30, TimeUnit.SECONDS).offset();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offset of " + partition + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private long committed(Admin admin, String groupId, TopicPartition partition) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            OffsetAndMetadata offset = offsets.get(partition);
            return offset == null ? -1 : offset.offset();
        } catch (ExecutionException | TimeoutException e) {
            return -1; // the group may not exist yet; the stall timeout decides
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Every committed record of a one-partition topic, as {@code type} (or raw bytes when null). */
    private <T> List<T> readAll(String topic, Class<T> type) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        JsonSerde<T> serde = type == null ? null : new JsonSerde<>(KeywatchJson.newMapper(), type);
        List<T> values = new ArrayList<>();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            // under read_committed the end offset is the last stable offset: everything committed so far
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(partition, Duration.ofSeconds(30)) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read " + topic + " to its end within 60 s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        @SuppressWarnings("unchecked")
                        T value = serde == null ? (T) record.value() : serde.fromBytes(record.value());
                        values.add(value);
                    }
                }
            }
        }
        return values;
    }

    /** The run's topics, one partition each, kept forever (a replayed day's records are old). */
    private static void createTopics(Admin admin, Topics topics) {
        Map<String, String> keep = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");
        List<NewTopic> wanted = List.of(
                new NewTopic(topics.usageEvents(), 1, (short) 1).configs(keep),
                new NewTopic(topics.usageEventsDlq(), 1, (short) 1).configs(keep),
                new NewTopic(topics.alerts(), 1, (short) 1).configs(keep),
                new NewTopic(topics.keyState(), 1, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        try {
            admin.createTopics(wanted).all().get(30, TimeUnit.SECONDS);
            // a burst to a partition its leader does not serve yet can be lost (see TopicLeaders)
            new TopicLeaders(admin, java.time.Duration.ofSeconds(30)).await(wanted.stream().map(NewTopic::name).toList());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the run's topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Properties adminProps() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    private Properties stateProducerProps() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        return props;
    }

    private static boolean awaitRunning(KeywatchStreamsService streams) {
        try {
            return streams.awaitRunning(START_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the topology", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
