package io.keywatch.tools.backtest;

import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.standalone.Folders;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.Alert;
import io.keywatch.events.DeadLetter;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.RejectCode;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.KeywatchTopology;
import io.keywatch.streams.StreamsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Replays history through keywatch's own topology ({@link KeywatchTopology#build}) offline, with no Kafka broker and
 * no database, and returns the alerts it would have raised: to tune thresholds before automatic revocation is
 * switched on, and to compare a live run with what the rules say.
 *
 * <p>The topology runs in a {@link TopologyTestDriver}. Each event goes in with its event time as the record
 * timestamp, and the driver's wall clock follows event time (kept up to one second ahead of the newest event), so
 * stream-time and wall-clock punctuators, the future-skew check and {@code detectedAt} behave as they would have at
 * the time, and two runs over the same input give the same alerts, byte for byte. State lives in a temporary directory that is removed afterwards.
 *
 * <p>Key states feed the key-state topic. Each takes effect at its {@code changedAt}: the states dated before the
 * first event go in first, later ones when the replay reaches their time (a revocation at 14:00 does not flag a use
 * at 10:00). A key's first state is always in place from the start, so that every listed key counts as registered
 * throughout; when that first state is a later revocation, the key starts as ACTIVE with the same metadata.
 *
 * <p>Events are replayed in the order given. The topology drops an event that comes more than the grace period
 * ({@code KEYWATCH_STREAMS_GRACE_SECONDS}) behind the newest one, as it would live; such events are counted as
 * {@link BacktestResult#late()}. Not thread-safe; one run at a time.
 */
public final class Backtest {

    /** Told about alerts as they are raised and about progress on long inputs; both optional. */
    public interface Listener {
        default void onAlert(Alert alert) {
        }

        default void onProgress(Progress progress) {
        }
    }

    /**
     * How far a replay has come.
     *
     * @param events    events replayed so far
     * @param eventTime the newest event time reached
     * @param elapsed   wall-clock time since the replay started
     */
    public record Progress(long events, Instant eventTime, Duration elapsed) {

        public double eventsPerSecond() {
            return events / Math.max(0.001, elapsed.toNanos() / 1e9);
        }
    }

    /** The replay's clock moves to whole multiples of this, just ahead of event time. */
    private static final long CLOCK_STEP_MS = 1000;
    private static final int MAX_DEAD_LETTER_REASONS = 10;

    private final StreamsSettings settings;
    private final Duration progressInterval;
    private final ObjectMapper mapper = KeywatchJson.newMapper();

    /** A backtest with these settings (detector thresholds, grace, topics); the state directory is replaced. */
    public Backtest(StreamsSettings settings) {
        this(settings, Duration.ofSeconds(5));
    }

    private Backtest(StreamsSettings settings, Duration progressInterval) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
    }

    /**
     * A backtest configured as the streams service would be from {@code env} ({@code KEYWATCH_DETECT_*},
     * {@code KEYWATCH_STREAMS_GRACE_SECONDS}, ...); Kafka addresses play no part, and every topic has one
     * partition, as in the driver.
     *
     * @throws IllegalArgumentException naming the variable when a value is not usable
     */
    public static Backtest fromEnv(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(env);
        merged.put("KEYWATCH_STREAMS_APPLICATION_ID", "keywatch-backtest");
        merged.put("KEYWATCH_KAFKA_BOOTSTRAP", "backtest.invalid:9092"); // never contacted
        merged.put("KEYWATCH_TOPIC_PARTITIONS", "1"); // the driver has one partition per topic
        return new Backtest(StreamsSettings.fromEnv(merged));
    }

    /** The same backtest with other detector thresholds. */
    public Backtest withDetection(StreamsSettings.DetectionSettings detection) {
        return new Backtest(settings.withDetection(detection), progressInterval);
    }

    /** The same backtest reporting progress at most this often (default 5 s). */
    public Backtest withProgressInterval(Duration interval) {
        return new Backtest(settings, interval);
    }

    public StreamsSettings settings() {
        return settings;
    }

    /** Replays {@code events} with {@code keyStates}; see the class comment. */
    public BacktestResult run(Iterator<UsageEvent> events, List<KeyState> keyStates) {
        return run(events, keyStates, new Listener() { });
    }

    /** Replays {@code events} with {@code keyStates}, telling {@code listener} about alerts and progress. */
    public BacktestResult run(Iterator<UsageEvent> events, List<KeyState> keyStates, Listener listener) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(keyStates, "keyStates");
        Objects.requireNonNull(listener, "listener");
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("keywatch-backtest-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary state directory", e);
        }
        BacktestResult result;
        try {
            result = new Replay(settings.withStateDir(stateDir), listener).run(events, keyStates);
        } catch (RuntimeException | Error e) {
            try {
                Folders.deleteRecursively(stateDir);
            } catch (UncheckedIOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        Folders.deleteRecursively(stateDir);
        return result;
    }

    /** One run's driver and counters. */
    private final class Replay {
        private final StreamsSettings runSettings;
        private final RecordSignatures signatures;
        private final Listener listener;
        private final JsonSerde<UsageEvent> eventSerde = new JsonSerde<>(mapper, UsageEvent.class);
        private final JsonSerde<KeyState> keyStateSerde = new JsonSerde<>(mapper, KeyState.class);
        private final List<Alert> alerts = new ArrayList<>();
        private final List<String> deadLetterReasons = new ArrayList<>();
        private final long started = System.nanoTime();
        private long lastProgress = started;
        private long eventCount;
        private long keyStateCount;
        private long deadLettered;
        private long late;
        private long maxEventTime = Long.MIN_VALUE;
        private long clock;
        private Instant firstEventTime;
        private TopologyTestDriver driver;
        private TestInputTopic<String, byte[]> usageInput;
        private TestInputTopic<String, byte[]> keyStateInput;
        private TestOutputTopic<String, Alert> alertOutput;
        private TestOutputTopic<String, byte[]> dlqOutput;

        private final String runId = java.util.UUID.randomUUID().toString();

        Replay(StreamsSettings runSettings, Listener listener) {
            // offline, nothing leaves the run: a key of its own when none is configured, to sign the key states
            this.runSettings = runSettings.recordSigningKeys() != null ? runSettings
                    : runSettings.withRecordSigningKeys(RecordSigningKeys.random("backtest"));
            this.signatures = new RecordSignatures(this.runSettings.recordSigningKeys());
            this.listener = listener;
        }

        BacktestResult run(Iterator<UsageEvent> events, List<KeyState> keyStates) {
            UsageEvent first = events.hasNext() ? Objects.requireNonNull(events.next(), "null event") : null;
            Instant start = first != null ? first.timestamp()
                    : keyStates.stream().map(KeyState::changedAt).min(Comparator.naturalOrder()).orElse(Instant.EPOCH);
            clock = start.toEpochMilli();
            Properties props = runSettings.toProperties();
            // offline there is nobody to fence and nothing to roll back: at-least-once is the same, and faster
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
            // the driver commits, and so flushes every store, after each record: keep RocksDB's files in memory
            props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, InMemoryRocksDb.class);
            props.put(InMemoryRocksDb.RUN_CONFIG, runId);
            // resources close in reverse order: the driver (and its databases) first, then their memory
            try (RunResources memory = () -> InMemoryRocksDb.release(runId);
                 TopologyTestDriver testDriver = new TopologyTestDriver(KeywatchTopology.build(runSettings), props, start)) {
                driver = testDriver;
                usageInput = driver.createInputTopic(runSettings.topics().usageEvents(),
                        Serdes.String().serializer(), Serdes.ByteArray().serializer());
                keyStateInput = driver.createInputTopic(runSettings.topics().keyState(),
                        Serdes.String().serializer(), Serdes.ByteArray().serializer());
                alertOutput = driver.createOutputTopic(runSettings.topics().alerts(),
                        Serdes.String().deserializer(), new JsonSerde<>(mapper, Alert.class).deserializer());
                dlqOutput = driver.createOutputTopic(runSettings.topics().usageEventsDlq(),
                        Serdes.String().deserializer(), Serdes.ByteArray().deserializer());

                Deque<KeyState> timed = new ArrayDeque<>();
                for (KeyState state : initialStates(keyStates, start, timed)) {
                    feed(state, start);
                }
                if (first != null) {
                    firstEventTime = first.timestamp();
                    replay(first, timed);
                }
                while (events.hasNext()) {
                    replay(Objects.requireNonNull(events.next(), "null event"), timed);
                }
                while (!timed.isEmpty()) {
                    KeyState state = timed.poll();
                    feed(state, state.changedAt());
                }
                drain();
            }
            return new BacktestResult(alerts, eventCount, keyStateCount, deadLettered, deadLetterReasons, late,
                    firstEventTime, maxEventTime == Long.MIN_VALUE ? null : Instant.ofEpochMilli(maxEventTime),
                    Duration.ofNanos(System.nanoTime() - started));
        }

        private void replay(UsageEvent event, Deque<KeyState> timed) {
            long time = event.timestamp().toEpochMilli();
            while (!timed.isEmpty() && !timed.peek().changedAt().isAfter(event.timestamp())) {
                KeyState state = timed.poll();
                feed(state, state.changedAt());
            }
            if (time >= clock) {
                // to the next whole second: the clock is never behind the event (detectedAt >= triggeredAt) and
                // moves (which costs a commit) at most once per second of event time
                long next = (Math.floorDiv(time, CLOCK_STEP_MS) + 1) * CLOCK_STEP_MS;
                driver.advanceWallClockTime(Duration.ofMillis(next - clock));
                clock = next;
            }
            // the same test the topology applies before it dead-letters an event as late
            long windowMs = StreamsSettings.WINDOW_SIZE.toMillis();
            long windowStart = time - Math.floorMod(time, windowMs);
            if (maxEventTime != Long.MIN_VALUE
                    && windowStart + windowMs + runSettings.windowGrace().toMillis() <= maxEventTime) {
                late++;
            }
            maxEventTime = Math.max(maxEventTime, time);
            usageInput.pipeInput(event.keyId(), eventSerde.toBytes(event), event.timestamp());
            eventCount++;
            drain();
            if ((eventCount & 1023) == 0) {
                long now = System.nanoTime();
                if (now - lastProgress >= progressInterval.toNanos()) {
                    lastProgress = now;
                    listener.onProgress(new Progress(eventCount, Instant.ofEpochMilli(maxEventTime),
                            Duration.ofNanos(now - started)));
                }
            }
        }

        private void feed(KeyState state, Instant at) {
            byte[] value = keyStateSerde.toBytes(state);
            // signed as the API signs them: the topology applies no other key state
            keyStateInput.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(state.keyId(), value,
                    signatures.sign(runSettings.topics().keyState(),
                            state.keyId().getBytes(java.nio.charset.StandardCharsets.UTF_8), value,
                            new org.apache.kafka.common.header.internals.RecordHeaders()), at));
            keyStateCount++;
        }

        private void drain() {
            while (!alertOutput.isEmpty()) {
                Alert alert = alertOutput.readValue();
                alerts.add(alert);
                listener.onAlert(alert);
            }
            while (!dlqOutput.isEmpty()) {
                TestRecord<String, byte[]> record = dlqOutput.readRecord();
                Header code = record.headers().lastHeader(DeadLetter.REASON_CODE_HEADER);
                if (code != null && RejectCode.LATE.code().equals(new String(code.value(), StandardCharsets.UTF_8))) {
                    // counted in late (the topology dead-letters late events; the report lists them apart)
                    continue;
                }
                deadLettered++;
                if (deadLetterReasons.size() < MAX_DEAD_LETTER_REASONS) {
                    Header reason = record.headers().lastHeader(DeadLetter.REASON_HEADER);
                    deadLetterReasons.add(reason == null ? "(no reason)"
                            : new String(reason.value(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** Something a run releases after its driver is closed. */
    private interface RunResources extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The states in place before the first event: those dated up to {@code start}, and each other key's first
     * state (as ACTIVE when it is a later revocation that carries metadata). Everything else goes to {@code timed},
     * in time order.
     */
    public static List<KeyState> initialStates(List<KeyState> keyStates, Instant start, Deque<KeyState> timed) {
        List<KeyState> sorted = new ArrayList<>(keyStates);
        sorted.sort(Comparator.comparing(KeyState::changedAt)); // stable: same-time states keep their order
        Set<String> seen = new HashSet<>();
        List<KeyState> initial = new ArrayList<>();
        for (KeyState state : sorted) {
            boolean firstOfKey = seen.add(state.keyId());
            if (!state.changedAt().isAfter(start)) {
                initial.add(state);
            } else if (firstOfKey && !state.isRevoked()) {
                initial.add(state);
            } else {
                if (firstOfKey && state.metadata() != null) {
                    initial.add(new KeyState(state.keyId(), KeyStatus.ACTIVE, start,
                            "registered (backtest: active until its revocation at " + state.changedAt() + ")",
                            "backtest", state.metadata()));
                }
                timed.add(state);
            }
        }
        return initial;
    }
}
