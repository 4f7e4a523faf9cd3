package io.keywatch.tools.bench;

import io.keywatch.events.TopicLeaders;
import io.keywatch.streams.StreamsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the bench's comparison topologies (the parse-and-count baseline, the pass-through) share: keywatch's own Kafka
 * Streams settings under another application id, their topics, their start, and the producer that feeds them.
 */
final class BenchStreams {

    private BenchStreams() {
    }

    /** keywatch's Kafka Streams configuration with another application id and state folder: only the work differs. */
    static Properties properties(StreamsSettings keywatch, Path stateDir, String applicationId) {
        Properties props = keywatch.withStateDir(stateDir).toProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return props;
    }

    static void createTopics(Admin admin, int partitions, String... topics) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1));
        }
        try {
            admin.createTopics(newTopics).all().get();
            // a burst to a partition its leader does not serve yet can be lost (see TopicLeaders)
            new TopicLeaders(admin, java.time.Duration.ofSeconds(30)).await(List.of(topics));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + List.of(topics) + ": " + e.getCause(),
                    e.getCause());
        }
    }

    /** Starts {@code streams} and waits until it is RUNNING (two minutes at most). */
    static void start(KafkaStreams streams, String what) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        if (!running.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException(what + " did not reach RUNNING within 2 minutes");
        }
    }

    /** The producer of the latency phases (the detection phase's and the pass-through's): acks all, 5 ms linger. */
    static Producer<String, byte[]> latencyProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
