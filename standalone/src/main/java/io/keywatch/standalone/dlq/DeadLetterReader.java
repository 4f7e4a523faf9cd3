package io.keywatch.standalone.dlq;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.keywatch.events.KafkaClientConfig;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a dead-letter topic from the beginning up to its end offsets as they were when reading started, so a read
 * terminates even while records keep arriving. read_committed: records of aborted transactions (a streams
 * instance killed mid-commit) are not dead letters and are not shown.
 */
public final class DeadLetterReader {

    private final String bootstrap;
    private final KafkaClientConfig clientConfig;
    private final Duration stallTimeout;

    public DeadLetterReader(String bootstrap, Duration stallTimeout) {
        this(bootstrap, KafkaClientConfig.NONE, stallTimeout);
    }

    /** With the operator's Kafka client settings (security), e.g. from {@code KEYWATCH_KAFKA_CONFIG_*}. */
    public DeadLetterReader(String bootstrap, KafkaClientConfig clientConfig, Duration stallTimeout) {
        this.bootstrap = bootstrap;
        this.clientConfig = clientConfig;
        this.stallTimeout = stallTimeout;
    }

    /** Hands every record of {@code topic} to {@code sink}, partition by partition in offset order; returns how many. */
    public long forEach(String topic, Consumer<DeadLetterRecord> sink) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist at " + bootstrap);
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // under read_committed these are the last stable offsets: what a transactional writer has committed
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
            long count = 0;
            long lastProgress = System.nanoTime();
            while (!done(consumer, end)) {
                boolean progressed = false;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    progressed = true;
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.get(tp)) {
                        sink.accept(DeadLetterRecord.of(record));
                        count++;
                    }
                }
                if (progressed) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
                    throw new IllegalStateException("no progress reading " + topic + " for " + stallTimeout.toSeconds()
                            + " s; positions " + positions(consumer, end.keySet()) + ", end offsets " + end);
                }
            }
            return count;
        }
    }

    private static boolean done(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<TopicPartition, Long> positions(KafkaConsumer<byte[], byte[]> consumer,
                                                       Iterable<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        partitions.forEach(tp -> positions.put(tp, consumer.position(tp)));
        return positions;
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "keywatch-dlq");
        clientConfig.applyTo(props);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a mistyped --topic must not create a topic on a broker that auto-creates
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }
}
