package io.keywatch.streams.stores;

import java.util.Locale;

/**
 * Which stores hold the topology's per-key state ({@code KEYWATCH_STREAMS_STORES}). keywatch's own object stores
 * extend Kafka Streams' non-public {@code state.internals}, which a Kafka Streams upgrade may change without notice;
 * the built-in cached stores are the way back, slower (every read deserializes) but resting on public API only.
 */
public enum StoreKind {
    /** keywatch's write-back and read-cached stores: the hot keys' values stay objects (the default). */
    OBJECT,
    /** Kafka Streams' own persistent stores with its record cache ({@code KEYWATCH_STREAMS_CACHE_MB}). */
    BUILTIN;

    /** {@code object} or {@code builtin}, in any case; anything else is refused by the settings reader. */
    public static StoreKind parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "object" -> OBJECT;
            case "builtin" -> BUILTIN;
            default -> throw new IllegalArgumentException("expected object or builtin");
        };
    }

    /** The name the setting takes. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
