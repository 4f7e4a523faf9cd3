package io.keywatch.streams.detect;

import io.keywatch.events.UsageEvent;
import io.keywatch.streams.StreamsSettings;
import io.keywatch.streams.route.KeyPartitioner;
import io.keywatch.streams.aggregate.KeyProfileSerde;
import io.keywatch.streams.aggregate.KeyScopeUsageSerde;
import io.keywatch.streams.aggregate.MinuteAggregateSerde;
import io.keywatch.streams.stores.TopologyStores;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Creates the detection processor and declares its own stores, so the topology wires them in by itself. */
public final class DetectionProcessorSupplier implements ProcessorSupplier<String, UsageEvent, String, DetectionOutput> {

    private final StreamsSettings settings;
    private final DetectionProcessor.StoreNames stores;

    public DetectionProcessorSupplier(StreamsSettings settings, DetectionProcessor.StoreNames stores) {
        this.settings = settings;
        this.stores = stores;
    }

    @Override
    public Processor<String, UsageEvent, String, DetectionOutput> get() {
        return new DetectionProcessor(stores, settings.detection(), StreamsSettings.WINDOW_SIZE,
                settings.windowGrace(), settings.usageRetention(), new KeyPartitioner(settings.partitions()),
                settings.hotKeys());
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        TopologyStores builders = new TopologyStores(settings.stores());
        // write-back (object stores): a key's open minute is read and rewritten per event as an object, and reaches
        // RocksDB and the changelog once per commit
        StoreBuilder<?> usage = builders.window(
                Stores.persistentWindowStore(stores.usage(), settings.usageRetention(), StreamsSettings.WINDOW_SIZE,
                        false),
                Serdes.String(), new MinuteAggregateSerde(), settings.hotKeys());
        // one bounded value per key (baselines, activity, countries, alert marks): changed about once per key-minute
        StoreBuilder<?> profile = builders.keyValue(Stores.persistentKeyValueStore(stores.profile()),
                Serdes.String(), new KeyProfileSerde(), settings.hotKeys());
        // per task: the stream time from which it has been observing (for KEY_UNUSED), its newest event time and
        // window start (for the late test, so that they follow the task's committed offsets)
        StoreBuilder<?> clock = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(stores.clock()), Serdes.String(), Serdes.Long());
        // per key: which scopes it used and when last; written at most once per key, scope and UTC day
        StoreBuilder<?> scopes = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(stores.scopes()),
                Serdes.String(), new KeyScopeUsageSerde());
        // per task: where the hygiene pass and the daily clean-up are (a few entries), so a restart resumes them
        StoreBuilder<?> cursor = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(stores.hygieneCursor()),
                Serdes.String(), Serdes.String());
        return Set.of(usage, profile, clock, scopes, cursor);
    }
}
