package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.streams.stores.ReadCachedKeyValueStore;
import io.keywatch.streams.stores.StoreKind;
import io.keywatch.streams.stores.WriteBackKeyValueStore;
import io.keywatch.streams.stores.WriteBackWindowStore;
import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * KEYWATCH_STREAMS_STORES chooses the stores the topology is built on. That detection is the same on both is shown by
 * the whole suite, which the module's second surefire execution runs again on the built-in stores.
 */
class StoreKindTopologyTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void objectStoresByDefaultBuiltinOnRequest() {
        fixture.restart(Map.of("KEYWATCH_STREAMS_STORES", "object"));
        assertThat(store(KeywatchTopology.USAGE_STORE)).isInstanceOf(WriteBackWindowStore.class);
        assertThat(store(KeywatchTopology.PROFILE_STORE)).isInstanceOf(WriteBackKeyValueStore.class);
        assertThat(store(KeywatchTopology.KEY_STATES_STORE)).isInstanceOf(ReadCachedKeyValueStore.class);

        fixture.restart(Map.of("KEYWATCH_STREAMS_STORES", "BuiltIn"));
        assertThat(fixture.settings.stores()).isEqualTo(StoreKind.BUILTIN);
        for (String name : new String[] {KeywatchTopology.USAGE_STORE, KeywatchTopology.PROFILE_STORE,
                KeywatchTopology.KEY_STATES_STORE}) {
            assertThat(store(name)).isNotInstanceOf(WriteBackWindowStore.class)
                    .isNotInstanceOf(WriteBackKeyValueStore.class)
                    .isNotInstanceOf(ReadCachedKeyValueStore.class);
        }
    }

    @Test
    void anUnknownKindIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_STORES", "rocks\u001b[31m")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_STREAMS_STORES must be object or builtin")
                .hasMessageNotContaining("\u001b");
    }

    private StateStore store(String name) {
        // getAllStateStores: getStateStore refuses window stores
        return fixture.driver.getAllStateStores().get(name);
    }
}
