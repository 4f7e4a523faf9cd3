package io.keywatch.standalone.bench;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeywatchJson;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Announces many registry entries on the key-state topic in one go, as the registry announces each entry it stores
 * (same key, same JSON), so that the topology knows 100,000 keys in seconds. The registry's own path (a database
 * transaction and a synchronous, fully acknowledged send per key) registers about a hundred keys a second on this
 * machine, which would make the bench mostly a registration run; the incident keys still go through the registry.
 */
final class KeyAnnouncer {

    private KeyAnnouncer() {
    }

    static void announce(String bootstrap, String keyStateTopic, List<KeyState> entries) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        try (Producer<String, KeyState> producer = new KafkaProducer<>(props, new StringSerializer(),
                new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class).serializer())) {
            for (KeyState entry : entries) {
                producer.send(new ProducerRecord<>(keyStateTopic, entry.keyId(), entry));
            }
            producer.flush();
        }
    }
}
