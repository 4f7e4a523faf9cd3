package io.keywatch.tools.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import io.keywatch.simulator.IncidentPlan;
import io.keywatch.simulator.TrafficGenerator;
import io.keywatch.simulator.TrafficModel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * What was published: per sequence number its hostile kind (absent = a valid record), and the hostile records'
     * origins (any other origin on the topic is a valid record).
     */
    record Produced(String topic, long normal, long incidentEvents, Map<HostileKind, Long> hostile, Map<Long, HostileKind> hostileBySeq,
                    Map<String, Long> seqByOrigin, List<String> secrets, long sendErrors, String firstSendError,
                    Map<Long, String> incidentKeyBySeq) {
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
        Set<String> incidentKeys = new HashSet<>();
        incidents.forEach(plan -> incidentKeys.add(plan.keyId()));
        Tally tally = new Tally(new SplittableRandom(seed ^ 0x50414bL));
        long lastProgress = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties())) {
            for (Instant[] chunk : chunks(start, end, incidents)) {
                for (UsageEvent event : generate(model, incidents, chunk[0], chunk[1])) {
                    long wait = event.timestamp().toEpochMilli() - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    publish(producer, event, incidentKeys.contains(event.keyId()), tally);
                    if (System.nanoTime() - lastProgress > 10_000_000_000L) {
                        lastProgress = System.nanoTime();
                        progress.accept(String.format("published %,d valid and %,d hostile records (event time %s)",
                                tally.normal, tally.hostileBySeq.size(), event.timestamp()));
                    }
                }
            }
            producer.flush();
        }
        return tally.produced(topic);
    }

    /** Counts as records are published; send callbacks fill in origins and errors from the producer's thread. */
    private static final class Tally {
        final SplittableRandom rng;
        final Map<HostileKind, Long> hostile = new EnumMap<>(HostileKind.class);
        final Map<Long, HostileKind> hostileBySeq = new HashMap<>();
        final Map<String, Long> seqByOrigin = new ConcurrentHashMap<>();
        final List<String> secrets = new ArrayList<>();
        final Map<Long, String> incidentKeyBySeq = new HashMap<>();
        final AtomicLong sendErrors = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();
        long normal;
        long incidentEvents;
        long seq;

        Tally(SplittableRandom rng) {
            this.rng = rng;
        }

        Produced produced(String topic) {
            return new Produced(topic, normal, incidentEvents, hostile, hostileBySeq, Map.copyOf(seqByOrigin), secrets,
                    sendErrors.get(), firstError.get(), Map.copyOf(incidentKeyBySeq));
        }
    }

    /** The event, then, about one time in a hundred, a hostile record of the next kind built from it. */
    private void publish(KafkaProducer<byte[], byte[]> producer, UsageEvent event, boolean incident, Tally tally) {
        ObjectNode json = mapper.valueToTree(event);
        if (incident) {
            tally.incidentEvents++;
            tally.incidentKeyBySeq.put(tally.seq, event.keyId());
        }
        send(producer, tally.seq++, utf8(event.keyId()), utf8(json.toString()), tally, false);
        tally.normal++;
        if (tally.rng.nextDouble() < hostileShare) {
            HostileKind[] kinds = HostileKind.values();
            HostileKind kind = kinds[tally.hostileBySeq.size() % kinds.length];
            HostileKind.Record record = kind.build(json, event.timestamp(), tally.rng);
            tally.hostileBySeq.put(tally.seq, kind);
            tally.hostile.merge(kind, 1L, Long::sum);
            if (record.secret() != null) {
                tally.secrets.add(record.secret());
            }
            send(producer, tally.seq++, record.key(), record.value(), tally, true);
        }
    }

    /**
     * About a minute at a time, so that a long soak does not hold all its events in memory; a boundary never cuts an
     * incident (the generator wants each incident within one period).
     */
    static List<Instant[]> chunks(Instant start, Instant end, List<IncidentPlan> incidents) {
        List<Instant[]> chunks = new ArrayList<>();
        Instant from = start;
        while (from.isBefore(end)) {
            Instant to = from.plusSeconds(60);
            boolean moved = true;
            while (moved) {
                moved = false;
                for (IncidentPlan plan : incidents) {
                    if (plan.start().isBefore(to) && plan.end().isAfter(to)) {
                        to = plan.end();
                        moved = true;
                    }
                }
            }
            if (to.isAfter(end)) {
                to = end;
            }
            chunks.add(new Instant[] {from, to});
            from = to;
        }
        return chunks;
    }

    private static List<UsageEvent> generate(TrafficModel model, List<IncidentPlan> incidents, Instant from, Instant to) {
        List<IncidentPlan> within = incidents.stream()
                .filter(plan -> !plan.start().isBefore(from) && plan.start().isBefore(to)).toList();
        List<UsageEvent> events = new ArrayList<>();
        new TrafficGenerator(model).generate(from, to, within, new io.keywatch.client.EventSink() {
            @Override
            public void accept(UsageEvent event) {
                events.add(event);
            }

            @Override
            public void flush() {
                // a list: nothing to flush
            }
        });
        return events;
    }

    private void send(KafkaProducer<byte[], byte[]> producer, long seq, byte[] key, byte[] value, Tally tally,
                      boolean hostile) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(SEQ_HEADER, utf8(Long.toString(seq))));
        producer.send(new ProducerRecord<>(topic, null, null, key, value, headers), (metadata, error) -> {
            if (error != null) {
                tally.sendErrors.incrementAndGet();
                tally.firstError.compareAndSet(null, "record " + seq + ": " + error);
            } else if (hostile) {
                tally.seqByOrigin.put(metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset(), seq);
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
