package io.keywatch.streams.scopes;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.aggregate.KeyScopeUsageSerde;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Off the hot path: the store is read at most once per key, scope and UTC day, and written only on a change. */
class ScopeUsageRecorderTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final KeyState REGISTERED = new KeyState("k", KeyStatus.ACTIVE, T0, "registered", "api:admin",
            new KeyMetadata("acme", "billing", List.of("read"), null, null, null, null, null, null, null));

    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();
    private KeyValueStore<String, KeyScopeUsage> store;

    @BeforeEach
    void openStore() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        KeyValueStore<String, KeyScopeUsage> real = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("scopes"),
                Serdes.String(), new KeyScopeUsageSerde()).withLoggingDisabled().build();
        real.init(context.getStateStoreContext(), real);
        store = counting(real);
    }

    @Test
    void readsTheStoreOncePerKeyScopeAndDayWhateverTheTraffic() {
        ScopeUsageRecorder recorder = new ScopeUsageRecorder(100);
        recorder.init(store);

        int published = 0;
        for (int i = 0; i < 1_000; i++) {
            published += recorder.record(event("k", T0.plusMillis(i * 50L), i % 2 == 0 ? "read" : "write"),
                    REGISTERED) == null ? 0 : 1;
        }
        assertThat(reads).hasValue(2);
        assertThat(writes).hasValue(2);
        assertThat(published).isEqualTo(2);

        assertThat(recorder.record(event("k", T0.plus(Duration.ofDays(1)), "read"), REGISTERED)).isNotNull();
        assertThat(recorder.record(event("k", T0.plus(Duration.ofDays(1)).plusSeconds(1), "read"), REGISTERED))
                .isNull();
        assertThat(reads).hasValue(3);
        assertThat(writes).hasValue(3);
    }

    @Test
    void forgetsWhatItRememberedWhenTheStoreMayHaveBeenRewound() {
        ScopeUsageRecorder recorder = new ScopeUsageRecorder(100);
        recorder.init(store);
        recorder.record(event("k", T0, "read"), REGISTERED);
        store.delete("k"); // as a task re-initialised at an earlier committed offset would find it

        recorder.init(store);

        assertThat(recorder.record(event("k", T0.plusSeconds(1), "read"), REGISTERED)).isNotNull();
        assertThat(store.get("k")).isNotNull();
    }

    @Test
    void aFloodOfMadeUpScopesChangesAKeysRecordAtMost17TimesADayAndCostsOneLookupEach() {
        ScopeUsageRecorder recorder = new ScopeUsageRecorder(100);
        recorder.init(store);
        recorder.record(event("k", T0, "read"), REGISTERED);

        int published = 0;
        for (int i = 0; i < 5_000; i++) {
            published += recorder.record(event("k", T0.plusMillis(i), "made-up-" + i), REGISTERED) == null ? 0 : 1;
        }

        // the refused scopes cost one store read in all (the key's "full today" marker), and took no pair's place
        assertThat(reads).hasValue(1 + KeyScopeUsage.MAX_UNREGISTERED_SCOPES + 1);
        assertThat(published).isEqualTo(KeyScopeUsage.MAX_UNREGISTERED_SCOPES + 1);
        assertThat(store.get("k").truncated()).isTrue();
        assertThat(store.get("k").lastUsed()).containsKey("read");
        assertThat(recorder.remembered()).isEqualTo(1 + KeyScopeUsage.MAX_UNREGISTERED_SCOPES);
        int reads = this.reads.get();
        recorder.record(event("k", T0.plusSeconds(10), "made-up-4999"), REGISTERED);
        recorder.record(event("k", T0.plusSeconds(10), "read"), REGISTERED);
        assertThat(this.reads).hasValue(reads);
    }

    @Test
    void aRegisteredScopeIsTakenInOnTheDayItsKeyWasFloodedWithMadeUpOnes() {
        ScopeUsageRecorder recorder = new ScopeUsageRecorder(100);
        recorder.init(store);
        for (int i = 0; i < 200; i++) {
            recorder.record(event("k", T0.plusMillis(i), "zz-made-up-" + i), REGISTERED);
        }

        assertThat(recorder.record(event("k", T0.plusSeconds(1), "read"), REGISTERED)).isNotNull();
        assertThat(store.get("k").lastUsed()).containsKey("read");
    }

    @Test
    void remembersABoundedNumberOfPairs() {
        ScopeUsageRecorder recorder = new ScopeUsageRecorder(10);
        recorder.init(store);
        KeyState many = new KeyState("k", KeyStatus.ACTIVE, T0, "registered", "api:admin",
                new KeyMetadata("acme", "billing", java.util.stream.IntStream.range(0, 50).mapToObj(i -> "scope-" + i)
                        .toList(), null, null, null, null, null, null, null));
        for (int i = 0; i < 50; i++) {
            recorder.record(event("k", T0, "scope-" + i), many);
        }

        assertThat(recorder.remembered()).isEqualTo(10);
        assertThat(store.get("k").lastUsed()).hasSize(50);
    }

    private static UsageEvent event(String keyId, Instant at, String scope) {
        return UsageEvent.of("e", keyId, at, "billing", AuthResult.OK).withRequest("GET", "/v1", 200)
                .withDetails(5, scope, true, CredentialLocation.HEADER);
    }

    @SuppressWarnings("unchecked")
    private KeyValueStore<String, KeyScopeUsage> counting(KeyValueStore<String, KeyScopeUsage> real) {
        return (KeyValueStore<String, KeyScopeUsage>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                        reads.incrementAndGet();
                    } else if (method.getName().equals("put")) {
                        writes.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
