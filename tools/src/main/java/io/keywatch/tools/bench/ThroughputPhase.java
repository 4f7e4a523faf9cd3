package io.keywatch.tools.bench;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.UsageEventParser;
import io.keywatch.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * Phase 1: the same pre-serialized events, published as fast as the producer goes, first to keywatch's usage-events
 * topic (its topology is already running), then to a fresh topic read by a baseline topology that only parses and
 * counts per key and minute. Each is timed from the first publish until its application's committed offsets reach
 * the end of its topic.
 */
final class ThroughputPhase {

    static final String BASELINE_APPLICATION_ID = "keywatch-bench-baseline";
    static final String BASELINE_TOPIC = "keywatch-bench.baseline-usage-events";
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(30);

    private final String bootstrap;
    private final Progress progress;

    ThroughputPhase(String bootstrap, Progress progress) {
        this.bootstrap = bootstrap;
        this.progress = progress;
    }

    /** The baseline: parse the JSON, drop what does not parse, count per key in one-minute windows. */
    static Topology baselineTopology(String topic) {
        UsageEventParser parser = new UsageEventParser();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .mapValues(parser::parse)
                .filter((key, result) -> result instanceof UsageEventParser.Valid)
                .mapValues(result -> ((UsageEventParser.Valid) result).event())
                .groupByKey(Grouped.with("bench-baseline-by-key", Serdes.String(),
                        new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class)))
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
                .count(Materialized.as("bench-baseline-counts"));
        return builder.build();
    }

    /**
     * keywatch's own Kafka Streams configuration (guarantee, commit interval, threads, cache, any overrides) with the
     * baseline's application id and state folder, so that only the work differs.
     */
    static Properties baselineProperties(StreamsSettings keywatch, Path stateDir) {
        return BenchStreams.properties(keywatch, stateDir, BASELINE_APPLICATION_ID);
    }

    /**
     * Publishes the first {@code warmup} events of the batch to both topologies untimed (the JIT compiles the shared
     * code, keys get their first profile, as in a service that has been running), then the rest to keywatch and to the
     * baseline in turn, each timed on its own.
     */
    BenchReport.Throughput run(EventBatch batch, int warmup, StreamsSettings keywatch, Path baselineStateDir, int keys)
            throws InterruptedException {
        int measured = batch.size() - warmup;
        String keywatchTopic = keywatch.topics().usageEvents();
        try (Admin admin = Admin.create(adminProps());
             Producer<String, byte[]> producer = producer()) {
            ConsumerLag lag = new ConsumerLag(admin);
            BenchStreams.createTopics(admin, keywatch.partitions(), BASELINE_TOPIC);
            try (KafkaStreams baseline = new KafkaStreams(baselineTopology(BASELINE_TOPIC),
                    baselineProperties(keywatch, baselineStateDir))) {
                BenchStreams.start(baseline, "the baseline topology");
                progress.say("throughput: warming up both topologies with %,d events (not timed)", warmup);
                publishAndAwait(batch, 0, warmup, producer, lag, keywatchTopic, keywatch.applicationId(),
                        "keywatch warm-up");
                publishAndAwait(batch, 0, warmup, producer, lag, BASELINE_TOPIC, BASELINE_APPLICATION_ID,
                        "baseline warm-up");

                progress.say("throughput: %,d events (%,d MiB of JSON) into keywatch's topology", measured,
                        batch.bytes() * measured / batch.size() >> 20);
                double keywatchSeconds = publishAndAwait(batch, warmup, batch.size(), producer, lag, keywatchTopic,
                        keywatch.applicationId(), "keywatch");
                progress.say("throughput: the same events into the baseline (parse + count per key and minute)");
                double baselineSeconds = publishAndAwait(batch, warmup, batch.size(), producer, lag, BASELINE_TOPIC,
                        BASELINE_APPLICATION_ID, "baseline");
                baseline.close(Duration.ofSeconds(30));
                double keywatchRate = measured / keywatchSeconds;
                double baselineRate = measured / baselineSeconds;
                return new BenchReport.Throughput(measured, warmup, keys, keywatchSeconds, keywatchRate,
                        baselineSeconds, baselineRate, keywatchRate / baselineRate);
            }
        }
    }

    /** Sends events {@code [from, to)} of the batch; returns the seconds until the group has processed them all. */
    private double publishAndAwait(EventBatch batch, int from, int to, Producer<String, byte[]> producer,
                                   ConsumerLag lag, String topic, String group, String who)
            throws InterruptedException {
        int count = to - from;
        long endBefore = lag.endOffsets(topic);
        long start = System.nanoTime();
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>(topic, null, batch.timestamp(i), batch.key(i), batch.value(i)));
        }
        producer.flush();
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        progress.say("throughput: %s: published in %.1f s (%,.0f events/s), waiting for the lag to reach 0", who,
                publishSeconds, count / publishSeconds);
        long done = lag.awaitCaughtUp(group, topic, endBefore + count, TIMEOUT_NANOS,
                remaining -> progress.say("throughput: %s: %,d events still to process", who, remaining));
        double seconds = (done - start) / 1e9;
        progress.say("throughput: %s: %,d events in %.1f s = %,.0f events/s", who, count, seconds,
                count / seconds);
        return seconds;
    }

    private Properties adminProps() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        return props;
    }

    /** A producer tuned for bulk sending, the same for both runs. */
    private Producer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
