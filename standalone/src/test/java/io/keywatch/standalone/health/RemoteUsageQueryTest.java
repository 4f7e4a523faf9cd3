package io.keywatch.standalone.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keywatch.api.health.HealthController;
import io.keywatch.api.usage.HttpUsageSource;
import io.keywatch.api.usage.UsageMinute;
import io.keywatch.api.usage.UsageSource;
import io.keywatch.api.usage.UsageUnavailableException;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.standalone.TopologyUsageSource;
import io.keywatch.streams.KeywatchStreamsService;
import io.keywatch.streams.StreamsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's usage path when the topology runs in other processes: two topology instances, each with its health
 * server answering {@code /usage/} for the shared token; asked through one of them, every key's minutes come back,
 * those held by the other instance forwarded from it.
 */
class RemoteUsageQueryTest {

    private static final String TOKEN = "streams-query-token-0123456789";
    private static final RecordSigningKeys SIGNING_KEYS = RecordSigningKeys.random("remote-usage");

    @TempDir
    Path dir;

    /** A topology instance with its health server (and usage route) on a free port it names as application.server. */
    private record Instance(KeywatchStreamsService streams, ProbeServer probes) implements AutoCloseable {
        @Override
        public void close() {
            streams.close();
            probes.close();
        }
    }

    private Instance start(EmbeddedKafkaBroker broker, String name) throws Exception {
        AtomicReference<KeywatchStreamsService> service = new AtomicReference<>();
        UsageSource local = new UsageSource() {
            @Override
            public String name() {
                return "topology";
            }

            @Override
            public Duration retention() {
                return service.get().settings().usageRetention();
            }

            @Override
            public List<UsageMinute> minutes(String keyId, Instant from, Instant to) {
                return new TopologyUsageSource(service.get(), retention()).minutes(keyId, from, to);
            }
        };
        ProbeServer probes = ProbeServer.start(0, new HealthController(Map.of()),
                new UsageQueryRoute(local, keyId -> service.get().usageHostElsewhere(keyId), TOKEN));
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of(
                        "KEYWATCH_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                        "KEYWATCH_STREAMS_APPLICATION_ID", "remote-usage-app",
                        "KEYWATCH_STREAMS_CONFIG_APPLICATION_SERVER", "localhost:" + probes.port()))
                .withRecordSigningKeys(SIGNING_KEYS)
                .withStateDir(dir.resolve(name));
        service.set(new KeywatchStreamsService(settings));
        service.get().start();
        return new Instance(service.get(), probes);
    }

    private static String event(String keyId, Instant at) {
        return """
                {"eventId":"%s","keyId":"%s","timestamp":"%s","service":"payments","method":"GET",\
                "path":"/v1/charges","status":200,"authResult":"OK","clientIp":"198.51.100.7",\
                "country":"NL","tls":true,"credentialLocation":"HEADER"}"""
                .formatted(UUID.randomUUID(), keyId, at);
    }

    @Test
    void everyKeysMinutesComeBackThroughOneInstanceForwardedFromTheOther() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
             Instance a = start(broker, "a");
             Instance b = start(broker, "b")) {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                keys.add("remote-usage-" + i);
            }
            await("both instances hold partitions").atMost(Duration.ofSeconds(120)).until(() -> {
                try {
                    return keys.stream().anyMatch(k -> a.streams().usageHostElsewhere(k).isPresent())
                            && keys.stream().anyMatch(k -> a.streams().usageHostElsewhere(k).isEmpty());
                } catch (IllegalStateException rebalancing) {
                    return false;
                }
            });
            Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            try (var producer = new KafkaProducer<String, String>(props, new StringSerializer(),
                    new StringSerializer())) {
                for (String key : keys) {
                    for (int i = 0; i < 3; i++) {
                        producer.send(new ProducerRecord<>("keywatch.usage-events", key,
                                event(key, minute.plusSeconds(10L * i))));
                    }
                }
                producer.flush();
            }

            UsageSource api = HttpUsageSource.fromEnv(Map.of(HttpUsageSource.URL_VAR,
                    "http://localhost:" + a.probes().port(), HttpUsageSource.TOKEN_VAR, TOKEN),
                    KeywatchJson.newMapper()).orElseThrow();
            await("every key's minute, wherever it is held").atMost(Duration.ofSeconds(90))
                    .ignoreException(UsageUnavailableException.class).untilAsserted(() -> {
                for (String key : keys) {
                    List<UsageMinute> minutes = api.minutes(key, minute, minute.plus(Duration.ofMinutes(2)));
                    assertThat(minutes).as(key).singleElement().satisfies(m -> {
                        assertThat(m.start()).isEqualTo(minute);
                        assertThat(m.requests()).isEqualTo(3);
                    });
                }
            });

            UsageSource wrongToken = new HttpUsageSource(URI.create("http://localhost:" + a.probes().port()),
                    "not-the-token", Duration.ofMinutes(120), KeywatchJson.newMapper());
            assertThatThrownBy(() -> wrongToken.minutes(keys.get(0), minute, minute.plusSeconds(60)))
                    .isInstanceOf(UsageUnavailableException.class)
                    .hasMessageContaining(HttpUsageSource.TOKEN_VAR);
        }
    }
}
