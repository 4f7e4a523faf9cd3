package io.keywatch.tools.bench;

import io.keywatch.streams.StreamsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The physical floor of event-to-alert latency: a pass-through topology with keywatch's own Kafka Streams settings
 * (exactly-once, commit interval, threads) reads a topic and writes each record to another, which a read_committed
 * consumer reads, under the same background traffic at the same rate as the detection phase. Probe records, one
 * every {@value #PROBE_SPACING_MS} ms, are timed from their send to the consumer; keywatch's event -> alert figures
 * are judged against these.
 */
final class PassThroughPhase {

    static final String APPLICATION_ID = "keywatch-bench-passthrough";
    static final String INPUT_TOPIC = "keywatch-bench.passthrough-in";
    static final String OUTPUT_TOPIC = "keywatch-bench.passthrough-out";
    static final long PROBE_SPACING_MS = 25;
    private static final String PROBE_PREFIX = "bench-probe-";
    private static final byte[] PROBE_VALUE = "{\"probe\":true}".getBytes(StandardCharsets.UTF_8);

    private final String bootstrap;
    private final Progress progress;
    private final Map<String, Long> probeSent = new ConcurrentHashMap<>();
    private final LatencyRecorder latency = new LatencyRecorder();

    PassThroughPhase(String bootstrap, Progress progress) {
        this.bootstrap = bootstrap;
        this.progress = progress;
    }

    static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT_TOPIC, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .to(OUTPUT_TOPIC, Produced.with(Serdes.String(), Serdes.ByteArray()));
        return builder.build();
    }

    /** Sends the background on its timestamps with probes between, through the pass-through; returns the result. */
    BenchReport.PassThrough run(Background.Source backgroundSource, int targetRate, StreamsSettings keywatch, Path stateDir,
                                BenchReport.Detection detection)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            BenchStreams.createTopics(admin, keywatch.partitions(), INPUT_TOPIC, OUTPUT_TOPIC);
        }
        AtomicBoolean stop = new AtomicBoolean();
        try (KafkaStreams streams = new KafkaStreams(topology(),
                BenchStreams.properties(keywatch, stateDir, APPLICATION_ID));
             Producer<String, byte[]> producer = BenchStreams.latencyProducer(bootstrap)) {
            BenchStreams.start(streams, "the pass-through topology");
            // made now, not before the topology started: its first events must not wait for it as a backlog
            Background background = backgroundSource.start(INPUT_TOPIC);
            Thread reader = new Thread(() -> readOutput(stop), "bench-passthrough-reader");
            reader.setDaemon(true);
            reader.start();
            progress.say("pass-through: %,d background events/s (sent %s) and a probe every %d ms through a topology "
                    + "that only forwards, with keywatch's streams settings", targetRate, background.publisher(),
                    PROBE_SPACING_MS);
            double achieved;
            try (background) {
                achieved = send(producer, background);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (latency.count() < probeSent.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            stop.set(true);
            reader.join(5_000);
            streams.close(Duration.ofSeconds(30));
            progress.say("pass-through: %d of %d probes arrived", latency.count(), probeSent.size());
            return BenchReport.PassThrough.of(targetRate, achieved, latency.summary(), detection);
        }
    }

    /** Sends the background due from this process (a child sends its own) with a probe every {@value #PROBE_SPACING_MS} ms from a second in, until the background is done. */
    private double send(Producer<String, byte[]> producer, Background background) throws Exception {
        long firstProbeMs = background.firstDueMs() + 1_000;
        int probes = 0;
        while (!background.done()) {
            long now = System.currentTimeMillis();
            boolean sent = background.sendDue(producer, INPUT_TOPIC, now);
            long probeDue = firstProbeMs + probes * PROBE_SPACING_MS;
            if (probeDue <= now) {
                String key = PROBE_PREFIX + probes;
                probeSent.put(key, System.nanoTime());
                producer.send(new ProducerRecord<>(INPUT_TOPIC, null, now, key, PROBE_VALUE));
                probes++;
                sent = true;
            }
            if (!sent) {
                LockSupport.parkNanos(200_000);
            }
        }
        producer.flush();
        return background.finish().rate();
    }

    private void readOutput(AtomicBoolean stop) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "keywatch-bench-passthrough-reader");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(OUTPUT_TOPIC));
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    String key = record.key();
                    if (key != null && key.startsWith(PROBE_PREFIX)) {
                        Long sent = probeSent.get(key);
                        if (sent != null) {
                            latency.record(System.nanoTime() - sent);
                        }
                    }
                }
            }
        }
    }
}
