package io.keywatch.tools.bench;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Announces many registry entries on the key-state topic in one go, as the registry announces each entry it stores
 * (same key, same JSON), so that the topology knows 100,000 keys in seconds. The registry's own path (a database
 * transaction and a synchronous, fully acknowledged send per key) registers about a hundred keys a second on this
 * machine, which would make the bench mostly a registration run; the incident keys still go through the registry.
 * The soak announces its keys the same way.
 */
public final class KeyAnnouncer {

    private KeyAnnouncer() {
    }

    /** Signed as the API signs them: the topology applies no other key state. */
    public static void announce(String bootstrap, String keyStateTopic, List<KeyState> entries, RecordSigningKeys keys) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        JsonSerde<KeyState> json = new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class);
        RecordSignatures signatures = new RecordSignatures(keys);
        try (Producer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (KeyState entry : entries) {
                byte[] value = json.toBytes(entry);
                producer.send(new ProducerRecord<>(keyStateTopic, null, entry.keyId(), value, signatures.sign(
                        keyStateTopic, entry.keyId().getBytes(StandardCharsets.UTF_8), value, new RecordHeaders())));
            }
            producer.flush();
        }
    }
}
