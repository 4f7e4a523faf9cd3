package io.keywatch.streams;

import io.keywatch.events.KeyState;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.secrets.FingerprintKey;
import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.MinuteUsage;
import io.keywatch.streams.errors.DeadLetterCounts;
import io.keywatch.streams.errors.DeadLetterSummary;
import io.keywatch.streams.metrics.MicrometerTopologyMetrics;
import io.keywatch.streams.metrics.TopologyMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs keywatch's topology against a Kafka cluster; {@link #start()} once, {@link #close()} once. */
public final class KeywatchStreamsService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeywatchStreamsService.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How often the dead-letter counts are logged, when they changed (also in the metrics). */
    private static final Duration SUMMARY_INTERVAL = Duration.ofMinutes(1);

    // replaced once by start() when it has to make a fingerprint key; volatile for settings() from other threads
    private volatile StreamsSettings settings;
    // volatile: health checks read it without waiting for a start() or close() in progress
    private volatile KafkaStreams streams;
    private boolean closed;
    private final DeadLetterCounts deadLetterCounts = new DeadLetterCounts();
    private final AtomicLong keyStateSkips = new AtomicLong();
    private final DeadLetterSummary summary = new DeadLetterSummary(deadLetterCounts, keyStateSkips::get);
    private ScheduledExecutorService summaryLogger;
    private final RestoringStores restoring = new RestoringStores();
    /** Where the topology's and Kafka Streams' metrics go; null: none (README: Metrics). */
    private final MeterRegistry meterRegistry;
    private KafkaStreamsMetrics kafkaStreamsMetrics;

    public KeywatchStreamsService(StreamsSettings settings) {
        this(settings, null);
    }

    /** @param meterRegistry where to register keywatch's and Kafka Streams' metrics; null for none */
    public KeywatchStreamsService(StreamsSettings settings, MeterRegistry meterRegistry) {
        this.settings = settings;
        this.meterRegistry = meterRegistry;
    }

    /**
     * Creates missing topics, then starts processing in the background.
     *
     * @throws IllegalStateException when Kafka cannot be reached to create the topics, or when already started
     */
    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("keywatch streams already started");
        }
        LOG.info("keywatch streams connecting to Kafka at {} (application.id {}, state dir {})",
                settings.bootstrapServers(), settings.applicationId(), settings.stateDir().toAbsolutePath());
        if (settings.recordSigningKeys() == null) {
            // unsigned alerts would be refused by the API, and without keys no key state could be trusted: a
            // misconfiguration to fix before start, not a mode to run in
            throw new IllegalStateException(RecordSigningKeys.VAR + " is not set: keywatch signs its alerts and "
                    + "verifies its key states with it (kid:base64 of at least " + RecordSigningKeys.MIN_BYTES
                    + " bytes, the same list on every keywatch service)");
        }
        LOG.info("keywatch streams signs alerts with record signing key {}, verifies key states with {}",
                settings.recordSigningKeys().signingKeyId(), settings.recordSigningKeys().keyIds());
        if (settings.secretFingerprintKey() == null) {
            // never the key itself in the log
            LOG.warn("{} is not set: secrets published as key ids are fingerprinted under a random key made for this "
                    + "run, so their fingerprints differ across restarts and instances; set it (base64, at least {} "
                    + "bytes, the same on every instance) to keep them stable", StreamsSettings.SECRET_FINGERPRINT_KEY_VAR,
                    FingerprintKey.MIN_BYTES);
            settings = settings.withSecretFingerprintKey(FingerprintKey.random());
        }
        settings = settings.withMembership(
                settings.membership().resolved(settings.stateDir(), KeywatchStreamsService::hostName));
        LOG.info("keywatch streams group instance id {} (session timeout {} s, leave the group on close: {})",
                settings.membership().instanceId(), settings.membership().sessionTimeout().toSeconds(),
                settings.membership().leaveGroupOnClose());
        TopicProvisioner provisioner = new TopicProvisioner(settings.bootstrapServers(),
                settings.kafkaOverrides().only(AdminClientConfig.configNames()), TOPIC_TIMEOUT);
        provisioner.ensure(settings.topics(), settings.partitions(), (short) 1);
        // where a key's events belong is computed from the count the broker has, not the one configured
        int partitions = provisioner.partitionCount(settings.topics().usageEvents());
        if (partitions != settings.partitions()) {
            LOG.info("{} has {} partitions (KEYWATCH_TOPIC_PARTITIONS says {}, used only to create missing topics): "
                    + "routing keys by {}", settings.topics().usageEvents(), partitions, settings.partitions(),
                    partitions);
            settings = settings.withPartitions(partitions);
        }
        Properties properties = settings.toProperties();
        // the exception handlers count into the service's instance (Kafka Streams creates the handlers itself)
        properties.put(DeadLetterCounts.CONFIG, deadLetterCounts);
        TopologyMetrics metrics = meterRegistry == null ? TopologyMetrics.none()
                : new MicrometerTopologyMetrics(meterRegistry, deadLetterCounts, keyStateSkips);
        KafkaStreams created = new KafkaStreams(KeywatchTopology.build(settings, keyStateSkips, metrics), properties);
        String instanceId = settings.membership().instanceId();
        created.setUncaughtExceptionHandler(exception -> {
            if (causedBy(exception, FencedInstanceIdException.class)) {
                // a replaced thread would fence the other instance in turn, and so on for ever: stop this one
                LOG.error("another keywatch streams instance joined with this one's group instance id {}; stopping "
                        + "this one. Each instance needs its own {} (or its own state dir, which keeps the default)",
                        instanceId, GroupMembership.INSTANCE_ID_VAR);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            // processing errors are already dead-lettered by the handlers; this is for the unexpected (e.g. Kafka errors)
            LOG.error("keywatch stream thread failed; replacing it", exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        created.setStateListener((newState, oldState) ->
                LOG.info("keywatch streams state {} -> {}", oldState, newState));
        created.setGlobalStateRestoreListener(restoring);
        try {
            created.start();
        } catch (RuntimeException e) {
            created.close(CLOSE_TIMEOUT);
            throw e;
        }
        streams = created;
        if (meterRegistry != null) {
            // Kafka Streams' own metrics (threads, tasks, stores) and its clients' (consumer lag, producer errors)
            kafkaStreamsMetrics = new KafkaStreamsMetrics(created);
            kafkaStreamsMetrics.bindTo(meterRegistry);
        }
        summaryLogger = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "keywatch-dead-letter-summary");
            thread.setDaemon(true);
            return thread;
        });
        long interval = SUMMARY_INTERVAL.toMillis();
        summaryLogger.scheduleAtFixedRate(this::logSummary, interval, interval, TimeUnit.MILLISECONDS);
    }

    private static boolean causedBy(Throwable exception, Class<? extends Throwable> type) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** Only a readable hint in a new default instance id (its random part keeps it unique); looked up only then. */
    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            LOG.debug("no host name for the instance id", e);
            return "host";
        }
    }

    /** Logs the dead-letter counts when they changed since the last time. */
    private void logSummary() {
        try {
            String line = summary.changed();
            if (line != null) {
                LOG.warn(line);
            }
        } catch (RuntimeException e) {
            // a throw would cancel the schedule
            LOG.error("cannot log the dead-letter counts", e);
        }
    }

    /** How many key-state records the topology skipped as malformed since start. */
    public long keyStateSkips() {
        return keyStateSkips.get();
    }

    /** The Kafka Streams state; {@link KafkaStreams.State#CREATED} before {@link #start()}, NOT_RUNNING after close. */
    public KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.CREATED : current.state();
    }

    /** How many state stores are being restored from their changelogs now (not ready for detection while any). */
    public int restoringStores() {
        return restoring.count();
    }

    public boolean isRunning() {
        return state() == KafkaStreams.State.RUNNING;
    }

    /** Waits until the topology is running (or the timeout passes); true when it runs. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isRunning()) {
            KafkaStreams.State state = state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                    || System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /**
     * A key's per-minute usage for the minutes starting in {@code [from, to]}, oldest first, from the stores this
     * instance hosts (with several instances, ask the one that owns the key's partition), as of the last commit: the
     * open minute's newest events may be a commit interval behind.
     *
     * @throws IllegalStateException when the store cannot be queried now (not started, rebalancing, restoring)
     */
    public List<MinuteUsage> recentUsage(String keyId, Instant from, Instant to) {
        KafkaStreams current = streams;
        if (current == null) {
            throw new IllegalStateException("keywatch streams is not started");
        }
        try {
            ReadOnlyWindowStore<String, MinuteAggregate> store = current.store(StoreQueryParameters.fromNameAndType(
                    KeywatchTopology.USAGE_STORE, QueryableStoreTypes.<String, MinuteAggregate>windowStore()));
            return MinuteUsage.fetch(store, keyId, from, to, StreamsSettings.WINDOW_SIZE.toMillis());
        } catch (InvalidStateStoreException e) {
            throw new IllegalStateException("usage store is not queryable right now (state " + current.state() + "): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Where the key's usage lives when it is not here: the {@code host:port} ({@code application.server}, set with
     * {@code KEYWATCH_STREAMS_CONFIG_APPLICATION_SERVER}) of the instance whose task holds the key's minutes. Empty
     * when this instance holds them, or when no {@code application.server} is configured (one instance).
     *
     * @throws IllegalStateException while the owner is not known (not started, rebalancing)
     */
    public Optional<String> usageHostElsewhere(String keyId) {
        KafkaStreams current = streams;
        if (current == null) {
            throw new IllegalStateException("keywatch streams is not started");
        }
        String self = settings.kafkaOverrides().settings().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (self == null || self.isBlank()) {
            return Optional.empty();
        }
        // the usage store is keyed by key id on the partition murmur2 of its UTF-8 bytes names (KeyPartitioner),
        // which is what the String serializer and the default partitioner compute
        KeyQueryMetadata metadata = current.queryMetadataForKey(KeywatchTopology.USAGE_STORE, keyId,
                Serdes.String().serializer());
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new IllegalStateException("the owner of the key's usage is not known now (state " + current.state()
                    + ")");
        }
        HostInfo owner = metadata.activeHost();
        String where = owner.host() + ":" + owner.port();
        return where.equals(self.strip()) ? Optional.empty() : Optional.of(where);
    }

    /**
     * The key's latest state as this instance's topology knows it (from the global key-state store), or empty when
     * it has none: how a caller can tell that a registry change has reached detection.
     *
     * @throws IllegalStateException when the store cannot be queried now
     */
    public Optional<KeyState> keyState(String keyId) {
        KafkaStreams current = streams;
        if (current == null) {
            throw new IllegalStateException("keywatch streams is not started");
        }
        try {
            ReadOnlyKeyValueStore<String, KeyState> store = current.store(StoreQueryParameters.fromNameAndType(
                    KeywatchTopology.KEY_STATES_STORE, QueryableStoreTypes.<String, KeyState>keyValueStore()));
            return Optional.ofNullable(store.get(keyId));
        } catch (InvalidStateStoreException e) {
            throw new IllegalStateException("key-state store is not queryable right now (state " + current.state()
                    + "): " + e.getMessage(), e);
        }
    }

    /**
     * How many records the exception handlers dead-lettered since start, by reason code: records that made a
     * processor throw ({@code processing-error}) or could not be deserialized. The topology's own rejections
     * (invalid, future, late) are in the dead-letter topic only.
     */
    public DeadLetterCounts deadLetterCounts() {
        return deadLetterCounts;
    }

    public StreamsSettings settings() {
        return settings;
    }

    /**
     * Stops processing, waiting up to 30 s for in-flight work to commit. Local state is kept for the next start. With
     * {@link GroupMembership#leaveGroupOnClose()} the instance leaves the group, so that the others take its
     * partitions at once; else they wait for it to come back (within the session timeout) with its static id.
     */
    @Override
    public synchronized void close() {
        if (streams == null || closed) {
            return;
        }
        closed = true;
        summaryLogger.shutdownNow();
        logSummary();
        LOG.info("keywatch streams closing");
        CloseOptions options = CloseOptions.timeout(CLOSE_TIMEOUT).withGroupMembershipOperation(
                settings.membership().leaveGroupOnClose() ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                        : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
        if (!streams.close(options)) {
            LOG.warn("keywatch streams did not close within {}", CLOSE_TIMEOUT);
        }
        if (kafkaStreamsMetrics != null) {
            kafkaStreamsMetrics.close();
        }
    }
}
