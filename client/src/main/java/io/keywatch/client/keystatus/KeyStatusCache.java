package io.keywatch.client.keystatus;

import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStateRecords;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import java.nio.charset.StandardCharsets;
import io.keywatch.events.SafeText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service embeds to refuse revoked keys without a network hop: it follows the compacted key-state topic
 * from the beginning and keeps each key's latest {@link KeyState} in memory, so {@link #isRevoked(String)} is a map
 * look-up.
 *
 * <p>Every instance reads every partition (manual assignment, no consumer group, nothing committed), with
 * {@code read_committed} so that a state from an aborted transaction never counts. Tombstones remove a key;
 * a malformed record (no key, a key with control characters, a value that is not a key state, or the state of
 * another key), and any record not signed by a listed key ({@link RecordSignatures}: unsigned, forged, or a signature
 * copied from another key's record), is counted ({@link #skipped()}), logged sampled and skipped, never fatal: the records after it apply. A key the cache has not seen is not revoked, so a service
 * that must fail closed should wait for {@link #awaitCaughtUp(Duration)} before serving. Runs on its own daemon
 * thread; {@link #close()} stops it promptly.
 */
public final class KeyStatusCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KeyStatusCache.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    private static final Duration PARTITION_REFRESH = Duration.ofMinutes(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Duration pollTimeout;
    private final RecordSignatures signatures;
    private final KeyStateRecords records = new KeyStateRecords();
    private final Map<String, KeyState> states = new ConcurrentHashMap<>();
    private final List<KeyStatusListener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Follows the topic through a consumer the caller made; the cache owns it from now on and closes it. Call
     * {@link #start()} to begin (after adding listeners that must see the initial replay).
     */
    public KeyStatusCache(Consumer<String, byte[]> consumer, String topic, Duration pollTimeout,
                          RecordSignatures signatures) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.signatures = Objects.requireNonNull(signatures, "signatures");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
        this.thread = new Thread(this::run, "keywatch-key-status-cache-" + topic);
        this.thread.setDaemon(true);
    }

    /** A running cache of the configured topic. */
    public static KeyStatusCache start(KeyStatusCacheSettings settings) {
        return start(settings, null);
    }

    /** A running cache of the configured topic, telling {@code listener} (nullable) every change from the start. */
    public static KeyStatusCache start(KeyStatusCacheSettings settings, KeyStatusListener listener) {
        if (settings.recordSigningKeys() == null) {
            // fail closed: a cache that believed any writer could be told to un-revoke a key
            throw new IllegalStateException(RecordSigningKeys.VAR + " is not set: the key status cache applies only "
                    + "key states signed by keywatch (the same list as keywatch's services)");
        }
        KeyStatusCache cache = new KeyStatusCache(new KafkaConsumer<>(settings.consumerProperties()),
                settings.topic(), settings.pollTimeout(), new RecordSignatures(settings.recordSigningKeys()));
        if (listener != null) {
            cache.addListener(listener);
        }
        log.info("following key states on topic {} at {}", settings.topic(), settings.bootstrapServers());
        return cache.start();
    }

    /** Starts the cache's thread; returns this. */
    public synchronized KeyStatusCache start() {
        if (closed) {
            throw new IllegalStateException("key status cache is closed");
        }
        if (thread.getState() == Thread.State.NEW) {
            thread.start();
        }
        return this;
    }

    /** Whether the key is revoked as far as the cache has read; false for a key it has not seen. */
    public boolean isRevoked(String keyId) {
        KeyState state = states.get(Objects.requireNonNull(keyId, "keyId"));
        return state != null && state.isRevoked();
    }

    /** The key's latest state, if the topic has one. */
    public Optional<KeyState> state(String keyId) {
        return Optional.ofNullable(states.get(Objects.requireNonNull(keyId, "keyId")));
    }

    /** Keys the cache holds a state for. */
    public int size() {
        return states.size();
    }

    /**
     * Waits until the cache has read up to the end offsets the topic had when it started (so it knows every key
     * state committed before then).
     *
     * @return true once caught up; false if the time ran out (or the thread was interrupted)
     */
    public boolean awaitCaughtUp(Duration timeout) {
        try {
            return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Records applied (states and tombstones). */
    public long applied() {
        return applied.get();
    }

    /** Records skipped as malformed or not signed by a listed key. */
    public long skipped() {
        return skipped.get();
    }

    public void addListener(KeyStatusListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(KeyStatusListener listener) {
        listeners.remove(listener);
    }

    /** Stops following the topic and releases the consumer; the last states stay readable. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        consumer.wakeup();
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (thread.getState() == Thread.State.NEW) {
            consumer.close(Duration.ZERO); // never started: the thread will not close it
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return; // closed while waiting
            }
            long started = System.nanoTime();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // under read_committed these are the last stable offsets: all that was committed when we started
            Map<TopicPartition, Long> targets = consumer.endOffsets(partitions, METADATA_TIMEOUT);
            long nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
            long failures = 0;
            while (!closed) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(pollTimeout)) {
                        applySafely(record);
                    }
                    if (!isCaughtUp() && reached(targets)) {
                        caughtUp.countDown();
                        log.info("key status cache caught up with {}: {} keys in {} ms", topic, states.size(),
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    }
                    if (System.nanoTime() - nextRefresh > 0) {
                        addNewPartitions();
                        nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
                    }
                    failures = 0;
                } catch (WakeupException e) {
                    throw e;
                } catch (InterruptException e) {
                    log.warn("key status cache for {} interrupted; stopping", topic);
                    return;
                } catch (KafkaException e) {
                    // a broker outage or a transient error: keep serving what we know, try again
                    failures++;
                    if (isPowerOfTwo(failures)) {
                        log.warn("key status cache cannot read {} ({} failures in a row): {}", topic, failures,
                                e.toString());
                    }
                    pause(RETRY_BACKOFF);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                log.error("key status cache for {} woken up unexpectedly; stopped", topic, e);
            }
        } catch (RuntimeException e) {
            log.error("key status cache for {} stopped; states are no longer updated", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The topic's partitions, waiting (and saying so) while the topic does not exist; empty once closed. */
    private List<TopicPartition> awaitPartitions() {
        boolean told = false;
        while (!closed) {
            List<TopicPartition> partitions = List.of();
            try {
                partitions = toPartitions(consumer.partitionsFor(topic, METADATA_TIMEOUT));
            } catch (WakeupException e) {
                throw e;
            } catch (KafkaException e) {
                if (!told) {
                    log.warn("key status cache cannot list the partitions of {}: {}", topic, e.toString());
                }
                told = true;
            }
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (!told) {
                log.warn("key-state topic {} does not exist yet; waiting for it", topic);
                told = true;
            }
            pause(RETRY_BACKOFF);
        }
        return List.of();
    }

    private void addNewPartitions() {
        List<TopicPartition> now = toPartitions(consumer.partitionsFor(topic, METADATA_TIMEOUT));
        Set<TopicPartition> assigned = consumer.assignment();
        List<TopicPartition> added = now.stream().filter(p -> !assigned.contains(p)).toList();
        if (!added.isEmpty()) {
            Set<TopicPartition> all = new HashSet<>(assigned);
            all.addAll(added);
            consumer.assign(all); // keeps the positions of partitions already assigned
            consumer.seekToBeginning(added);
            log.info("key-state topic {} grew; now following partitions {} too", topic, added);
        }
    }

    private boolean reached(Map<TopicPartition, Long> targets) {
        for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
            if (target.getValue() != null && consumer.position(target.getKey(), METADATA_TIMEOUT) < target.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** One record can never stop the cache: whatever it throws, it is skipped and counted. */
    private void applySafely(ConsumerRecord<String, byte[]> record) {
        try {
            apply(record);
        } catch (RuntimeException e) {
            malformed(record, "unexpected " + SafeText.describe(e, 300));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        // before anything is read: only keywatch's API writes key states (a tombstone included)
        RecordSignatures.Verdict verdict = signatures.verify(record.topic(),
                record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), record.value(),
                record.headers());
        if (!verdict.valid()) {
            malformed(record, verdict.reasonCode() + ": " + verdict.reason());
            return;
        }
        KeyStateRecords.Read read = records.read(record.key(), record.value());
        if (read instanceof KeyStateRecords.Skip skip) {
            malformed(record, skip.why());
            return;
        }
        if (read instanceof KeyStateRecords.Delete delete) {
            KeyState previous = states.remove(delete.keyId());
            applied.incrementAndGet();
            if (previous != null) {
                notifyListeners(delete.keyId(), previous, null);
            }
            return;
        }
        String keyId = ((KeyStateRecords.Apply) read).keyId();
        KeyState state = ((KeyStateRecords.Apply) read).state();
        KeyState previous = states.put(keyId, state);
        applied.incrementAndGet();
        if (!state.equals(previous)) {
            notifyListeners(keyId, previous, state);
        }
    }

    /** Counts every skipped record; logs the 1st, 2nd, 4th, 8th... so a flood of forged records cannot flood the log. */
    private void malformed(ConsumerRecord<String, byte[]> record, String why) {
        long count = skipped.incrementAndGet();
        if (isPowerOfTwo(count)) {
            log.warn("skipping unusable key state at {}-{}@{} (key {}; {} skipped so far): {}", record.topic(),
                    record.partition(), record.offset(), SafeText.quote(record.key()), count,
                    SafeText.escape(why, 300));
        }
    }

    private void notifyListeners(String keyId, KeyState previous, KeyState current) {
        for (KeyStatusListener listener : listeners) {
            try {
                listener.onChange(keyId, previous, current);
            } catch (RuntimeException e) {
                log.warn("key status listener failed for key {}", SafeText.quote(keyId), e);
            }
        }
    }

    private void pause(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (!closed && System.nanoTime() - until < 0) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<TopicPartition> toPartitions(List<PartitionInfo> infos) {
        if (infos == null) {
            return List.of();
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        return partitions;
    }

    private static boolean isPowerOfTwo(long n) {
        return (n & (n - 1)) == 0;
    }
}
