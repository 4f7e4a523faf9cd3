package io.keywatch.streams.detect;

import io.keywatch.events.Alert;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.StreamsSettings;
import io.keywatch.streams.aggregate.KeyProfileSerde;
import io.keywatch.streams.aggregate.MinuteAggregateSerde;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Creates the detection processor and declares its own stores, so the topology wires them in by itself. */
public final class DetectionProcessorSupplier implements ProcessorSupplier<String, UsageEvent, String, Alert> {

    private final StreamsSettings settings;
    private final DetectionProcessor.StoreNames stores;

    public DetectionProcessorSupplier(StreamsSettings settings, DetectionProcessor.StoreNames stores) {
        this.settings = settings;
        this.stores = stores;
    }

    @Override
    public Processor<String, UsageEvent, String, Alert> get() {
        return new DetectionProcessor(stores, settings.detection(), StreamsSettings.WINDOW_SIZE,
                settings.windowGrace(), settings.partitions());
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        // caching: a hot key's minute is rewritten per event, but reaches RocksDB and the changelog once per commit
        StoreBuilder<?> usage = Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(stores.usage(), settings.usageRetention(),
                                StreamsSettings.WINDOW_SIZE, false),
                        Serdes.String(), new MinuteAggregateSerde())
                .withCachingEnabled();
        // one bounded value per key (baselines, activity, countries, alert marks): written about once per key-minute
        StoreBuilder<?> profile = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(stores.profile()), Serdes.String(), new KeyProfileSerde())
                .withCachingEnabled();
        // one entry per task: the stream time from which it has been observing (for KEY_UNUSED)
        StoreBuilder<?> clock = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(stores.clock()), Serdes.String(), Serdes.Long());
        return Set.of(usage, profile, clock);
    }
}
