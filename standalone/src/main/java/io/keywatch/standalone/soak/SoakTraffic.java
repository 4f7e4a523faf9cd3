package io.keywatch.standalone.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import io.keywatch.ingest.simulator.IncidentPlan;
import io.keywatch.ingest.simulator.TrafficGenerator;
import io.keywatch.ingest.simulator.TrafficModel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes the soak's traffic in real time: the simulator's ordinary traffic and incidents, with a hostile record
 * of the next {@link HostileKind} after about one record in a hundred. Every record carries a sequence number in
 * the header {@code keywatch.soak.seq}, which the topology copies into dead letters, so the ledger knows which
 * record each dead letter is (and sees duplicates); the origin offset is kept too, as a cross-check.
 */
final class SoakTraffic {

    static final String SEQ_HEADER = "keywatch.soak.seq";

    /** What was published: per sequence number its hostile kind (absent = a valid record), and its origin. */
    record Produced(long normal, long incidentEvents, Map<HostileKind, Long> hostile, Map<Long, HostileKind> hostileBySeq,
                    Map<String, Long> seqByOrigin, List<String> secrets, long sendErrors, String firstSendError) {
        long total() {
            return normal + hostile.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final String bootstrap;
    private final String topic;
    private final double hostileShare;
    private final long seed;
    private final ObjectMapper mapper = KeywatchJson.newMapper();

    SoakTraffic(String bootstrap, String topic, double hostileShare, long seed) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.hostileShare = hostileShare;
        this.seed = seed;
    }

    /** Generates {@code [start, end)} and publishes each record when the wall clock reaches its event time. */
    Produced run(TrafficModel model, List<IncidentPlan> incidents, Instant start, Instant end,
                 Consumer<String> progress) throws InterruptedException {
        List<UsageEvent> events = new ArrayList<>();
        new TrafficGenerator(model).generate(start, end, incidents, new io.keywatch.ingest.EventSink() {
            @Override
            public void accept(UsageEvent event) {
                events.add(event);
            }

            @Override
            public void flush() {
                // a list: nothing to flush
            }
        });
        java.util.Set<String> incidentKeys = new java.util.HashSet<>();
        incidents.forEach(plan -> incidentKeys.add(plan.keyId()));

        SplittableRandom rng = new SplittableRandom(seed ^ 0x50414bL);
        HostileKind[] kinds = HostileKind.values();
        Map<HostileKind, Long> hostile = new EnumMap<>(HostileKind.class);
        Map<Long, HostileKind> hostileBySeq = new HashMap<>();
        Map<String, Long> seqByOrigin = Collections.synchronizedMap(new HashMap<>());
        List<String> secrets = new ArrayList<>();
        AtomicLong sendErrors = new AtomicLong();
        String[] firstError = {null};
        long normal = 0;
        long incidentEvents = 0;
        long seq = 0;
        long lastProgress = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties())) {
            for (UsageEvent event : events) {
                long wait = event.timestamp().toEpochMilli() - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                ObjectNode json = mapper.valueToTree(event);
                send(producer, seq++, utf8(event.keyId()), utf8(json.toString()), seqByOrigin, sendErrors, firstError);
                normal++;
                if (incidentKeys.contains(event.keyId())) {
                    incidentEvents++;
                }
                if (rng.nextDouble() < hostileShare) {
                    HostileKind kind = kinds[(int) (hostileBySeq.size() % kinds.length)];
                    HostileKind.Record record = kind.build(json, event.timestamp(), rng);
                    hostileBySeq.put(seq, kind);
                    hostile.merge(kind, 1L, Long::sum);
                    if (record.secret() != null) {
                        secrets.add(record.secret());
                    }
                    send(producer, seq++, record.key(), record.value(), seqByOrigin, sendErrors, firstError);
                }
                if (System.nanoTime() - lastProgress > 10_000_000_000L) {
                    lastProgress = System.nanoTime();
                    progress.accept(String.format("published %,d valid and %,d hostile records (event time %s)",
                            normal, hostileBySeq.size(), event.timestamp()));
                }
            }
            producer.flush();
        }
        synchronized (firstError) {
            return new Produced(normal, incidentEvents, hostile, hostileBySeq, Map.copyOf(seqByOrigin), secrets,
                    sendErrors.get(), firstError[0]);
        }
    }

    private void send(KafkaProducer<byte[], byte[]> producer, long seq, byte[] key, byte[] value,
                      Map<String, Long> seqByOrigin, AtomicLong sendErrors, String[] firstError) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(SEQ_HEADER, utf8(Long.toString(seq))));
        producer.send(new ProducerRecord<>(topic, null, null, key, value, headers), (metadata, error) -> {
            if (error != null) {
                sendErrors.incrementAndGet();
                synchronized (firstError) {
                    if (firstError[0] == null) {
                        firstError[0] = "record " + seq + ": " + error;
                    }
                }
            } else {
                seqByOrigin.put(metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset(), seq);
            }
        });
    }

    private Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(2 * 1024 * 1024));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "keywatch-soak");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
