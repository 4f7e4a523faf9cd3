package io.keywatch.tools.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Topics;
import io.keywatch.events.UsageEvent;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures what a restart of the streams child costs: it starts the child again, publishes an incident (one key sent
 * in the URL, alerted on at once) right after, and times until the child's log says RUNNING and until the incident's
 * alert is on the alerts topic (read_committed, as the API reads it). RUNNING is the time the child logged it (the
 * log's UTC time stamps, same machine). Not thread-safe: one restart at a time.
 */
final class RestartProbe implements AutoCloseable {

    /** Past this, a restart is reported as not detecting (NaN) rather than waited for. */
    private static final Duration GIVE_UP = Duration.ofSeconds(180);
    private static final String RUNNING_LINE = "keywatch streams state REBALANCING -> RUNNING";
    /** How long after detecting to wait for the log line of the RUNNING state. */
    private static final Duration LOG_WAIT = Duration.ofSeconds(30);

    static final String KILL = "SIGKILL";
    static final String TERM = "SIGTERM";

    /** One restart: how it was stopped and how long, from the new start, until RUNNING and until detecting. */
    record Figure(int restart, String stop, double secondsToRunning, double secondsToDetecting) {
    }

    private final String usageTopic;
    private final String alertsTopic;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> alerts;
    private final ObjectMapper json = KeywatchJson.newMapper();
    private final JsonSerde<UsageEvent> events = new JsonSerde<>(json, UsageEvent.class);

    RestartProbe(String bootstrap, Topics topics) {
        this.usageTopic = topics.usageEvents();
        this.alertsTopic = topics.alerts();
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        this.alerts = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Stops the child (SIGKILL when {@code kill}, else SIGTERM and its clean shutdown), waits {@code pause}, starts it
     * again and measures.
     */
    Figure restart(ChildService child, boolean kill, Duration pause, int n) throws IOException, InterruptedException {
        if (kill) {
            child.kill();
        } else {
            child.stop();
        }
        Thread.sleep(pause.toMillis());
        return afterStart(child, kill ? KILL : TERM, n);
    }

    /** Starts the stopped child and measures; {@code stop} says how it was stopped, {@code n} which restart it is. */
    Figure afterStart(ChildService child, String stop, int n) throws IOException, InterruptedException {
        String keyId = "probe-restart-" + n + "-" + UUID.randomUUID().toString().substring(0, 8);
        skipToEnd();
        long logFrom = Files.exists(child.log()) ? Files.size(child.log()) : 0;
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        child.start();
        UsageEvent event = UsageEvent.of("probe-" + UUID.randomUUID(), keyId, Instant.now(), "probe", AuthResult.OK)
                .withRequest("GET", "/v1/probe", 200)
                .withClient("10.9.9.9", "DE", "keywatch-restart-probe")
                .withDetails(5, null, true, CredentialLocation.QUERY);
        producer.send(new ProducerRecord<>(usageTopic, keyId, events.toBytes(event)));
        producer.flush();
        double detecting = Double.NaN;
        long deadline = started + GIVE_UP.toNanos();
        while (Double.isNaN(detecting) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : alerts.poll(Duration.ofMillis(100))) {
                if (Double.isNaN(detecting) && keyId.equals(keyIdOf(record.value()))) {
                    detecting = seconds(started);
                }
            }
        }
        // the child logs the state change a moment after it, and may process a record before: wait for the line
        Instant runningAt = null;
        long logDeadline = System.nanoTime() + LOG_WAIT.toNanos();
        while ((runningAt = runningAt(child.log(), logFrom)) == null && System.nanoTime() < logDeadline) {
            Thread.sleep(100);
        }
        double running = runningAt == null ? Double.NaN
                : Math.round(Duration.between(startedAt, runningAt).toMillis() / 10.0) / 100.0;
        return new Figure(n, stop, running, detecting);
    }

    /** Reads on from the alerts' current end, so that only alerts after this start count. */
    private void skipToEnd() {
        List<TopicPartition> partitions = alerts.partitionsFor(alertsTopic).stream()
                .map(info -> new TopicPartition(alertsTopic, info.partition())).toList();
        alerts.assign(partitions);
        alerts.seekToEnd(partitions);
        partitions.forEach(alerts::position);
    }

    private String keyIdOf(byte[] value) {
        try {
            JsonNode alert = json.readTree(value);
            return alert.path("keyId").asText(null);
        } catch (IOException e) {
            return null; // not an alert this probe made
        }
    }

    /** When the log, from {@code offset} on, says the streams state turned RUNNING (its line's UTC time), or null. */
    private static Instant runningAt(Path log, long offset) throws IOException {
        if (!Files.exists(log)) {
            return null;
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            if (file.length() <= offset) {
                return null;
            }
            file.seek(offset);
            byte[] tail = new byte[(int) Math.min(file.length() - offset, 8 << 20)];
            file.readFully(tail);
            for (String line : new String(tail, StandardCharsets.UTF_8).split("\n")) {
                int space = line.indexOf(' ');
                if (line.contains(RUNNING_LINE) && space > 0) {
                    try {
                        return Instant.parse(line.substring(0, space));
                    } catch (DateTimeParseException e) {
                        // not a line of keywatch's log format: look on
                    }
                }
            }
            return null;
        }
    }

    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e7) / 100.0;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        alerts.close(Duration.ofSeconds(5));
    }
}
