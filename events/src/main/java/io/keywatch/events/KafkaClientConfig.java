package io.keywatch.events;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kafka client settings given as environment variables: security (SASL, TLS) and tuning that keywatch has no variable
 * of its own for. A variable's name is a prefix and the setting: the rest of the name in lower case, {@code _} read as
 * {@code .} ({@code KEYWATCH_KAFKA_CONFIG_SASL_MECHANISM=SCRAM-SHA-512} sets {@code sasl.mechanism}).
 *
 * <p>{@value #COMMON_PREFIX} applies to every client of the process; a component's own prefix (e.g.
 * {@code KEYWATCH_API_KAFKA_CONFIG_}) applies to that component's clients and wins over the common one. The settings
 * keywatch owns (its own variables, or what a client's correctness rests on) cannot be set this way: the error names
 * the variable. Values may be credentials ({@code sasl.jaas.config}, passwords): {@link #toString()} shows names only.
 *
 * @param settings the client settings, by Kafka name
 */
public record KafkaClientConfig(Map<String, String> settings) {

    /** Applies to every Kafka client a keywatch process makes. */
    public static final String COMMON_PREFIX = "KEYWATCH_KAFKA_CONFIG_";

    /** No settings beyond keywatch's own. */
    public static final KafkaClientConfig NONE = new KafkaClientConfig(Map.of());

    /**
     * What keywatch sets on every client it makes and no variable may change: where to connect (its own
     * variable), group and transaction identity, the wire format and the delivery guarantees.
     */
    public static final Set<String> OWNED = Set.of("bootstrap.servers", "group.id", "group.instance.id",
            "transactional.id", "isolation.level", "enable.auto.commit", "enable.idempotence", "acks",
            "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
            "allow.auto.create.topics");

    public KafkaClientConfig {
        settings = Map.copyOf(Objects.requireNonNull(settings, "settings"));
    }

    /**
     * The settings from {@value #COMMON_PREFIX} variables and then from {@code componentPrefix} ones (which win),
     * neither of which may name a setting in {@link #OWNED} or {@code alsoOwned}.
     *
     * @param componentPrefix the component's own prefix, e.g. {@code KEYWATCH_API_KAFKA_CONFIG_}; null for none
     * @param alsoOwned       settings this component owns on top of {@link #OWNED}
     */
    public static KafkaClientConfig fromEnv(Map<String, String> env, String componentPrefix, Set<String> alsoOwned) {
        Set<String> owned = new HashSet<>(OWNED);
        owned.addAll(alsoOwned);
        Map<String, String> settings = new TreeMap<>(read(env, COMMON_PREFIX, owned));
        if (componentPrefix != null) {
            settings.putAll(read(env, componentPrefix, owned));
        }
        return new KafkaClientConfig(settings);
    }

    /** {@link #fromEnv(Map, String, Set)} with only the {@link #OWNED} settings owned. */
    public static KafkaClientConfig fromEnv(Map<String, String> env, String componentPrefix) {
        return fromEnv(env, componentPrefix, Set.of());
    }

    /** The variables with {@code prefix}, as settings; an error naming the variable for an owned setting. */
    public static Map<String, String> read(Map<String, String> env, String prefix, Set<String> owned) {
        Objects.requireNonNull(prefix, "prefix");
        Map<String, String> settings = new TreeMap<>();
        for (Map.Entry<String, String> entry : env.entrySet()) {
            String name = entry.getKey();
            // a blank value is unset, as for keywatch's own variables (KEYWATCH_X= in a compose file)
            if (name == null || !name.startsWith(prefix) || name.length() == prefix.length()
                    || entry.getValue() == null || entry.getValue().isBlank()) {
                continue;
            }
            String key = name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            if (owned.contains(key)) {
                throw new IllegalArgumentException(name + " would set " + key + ", which keywatch sets itself: use its "
                        + "KEYWATCH_* variable instead (see the README's configuration table)");
            }
            settings.put(key, entry.getValue().strip());
        }
        return settings;
    }

    /** These settings over what {@code props} holds; call before putting the settings keywatch owns. */
    public Properties applyTo(Properties props) {
        props.putAll(settings);
        return props;
    }

    /** A copy in which {@code other}'s settings replace these (a component's own over the common ones). */
    public KafkaClientConfig overriddenBy(KafkaClientConfig other) {
        Map<String, String> merged = new TreeMap<>(settings);
        merged.putAll(other.settings);
        return new KafkaClientConfig(merged);
    }

    /**
     * The settings among {@code names} only, e.g. {@code AdminClientConfig.configNames()} for the Admin client a
     * service makes beside its producers or consumers (their own settings would be warned about as unknown).
     */
    public KafkaClientConfig only(Set<String> names) {
        Map<String, String> kept = new TreeMap<>(settings);
        kept.keySet().retainAll(names);
        return new KafkaClientConfig(kept);
    }

    public boolean isEmpty() {
        return settings.isEmpty();
    }

    /** Names only: a value may be a credential ({@code sasl.jaas.config}, {@code ssl.keystore.password}). */
    @Override
    public String toString() {
        return "KafkaClientConfig" + new TreeSet<>(settings.keySet());
    }
}
