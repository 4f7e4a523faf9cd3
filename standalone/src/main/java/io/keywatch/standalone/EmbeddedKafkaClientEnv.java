package io.keywatch.standalone;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The standalone's clients talk to its own embedded broker, PLAINTEXT on loopback, as its bootstrap address
 * replaces {@code KEYWATCH_KAFKA_BOOTSTRAP}: security settings meant for an external cluster (SASL, TLS) given through
 * the Kafka client scheme would only stop them from connecting. Tuning settings stay.
 */
public final class EmbeddedKafkaClientEnv {

    /** Every prefix of the Kafka client scheme (see the README's "Kafka security"). */
    static final List<String> PREFIXES = List.of("KEYWATCH_KAFKA_CONFIG_", "KEYWATCH_STREAMS_CONFIG_",
            "KEYWATCH_API_KAFKA_CONFIG_", "KEYWATCH_PUBLISHER_KAFKA_", "KEYWATCH_KEY_STATUS_KAFKA_");

    /** Settings starting with these (after the prefix, as a Kafka name) are about reaching a secured cluster. */
    private static final Set<String> SECURITY = Set.of("security.protocol", "sasl.", "ssl.");

    private EmbeddedKafkaClientEnv() {
    }

    /** Removes the security settings from {@code env} and returns the names of the variables removed. */
    public static Set<String> dropSecurity(Map<String, String> env) {
        Set<String> dropped = new TreeSet<>();
        for (String name : env.keySet()) {
            for (String prefix : PREFIXES) {
                if (name.startsWith(prefix) && isSecurity(name.substring(prefix.length()))) {
                    dropped.add(name);
                }
            }
        }
        env.keySet().removeAll(dropped);
        return dropped;
    }

    private static boolean isSecurity(String rest) {
        String key = rest.toLowerCase(Locale.ROOT).replace('_', '.');
        // streams' client prefixes: producer.sasl.jaas.config is as much a security setting as sasl.jaas.config
        for (String client : List.of("", "producer.", "consumer.", "admin.", "main.consumer.", "restore.consumer.",
                "global.consumer.")) {
            if (key.startsWith(client)) {
                String setting = key.substring(client.length());
                if (SECURITY.stream().anyMatch(setting::startsWith)) {
                    return true;
                }
            }
        }
        return false;
    }
}
