package io.keywatch.streams.stores;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteBackCacheTest {

    private final List<String> written = new ArrayList<>();
    private final WriteBackCache<String, String> cache = new WriteBackCache<>(2, (key, slot) -> {
        slot.bytes = slot.value.getBytes(StandardCharsets.UTF_8);
        written.add(key + "=" + slot.value + "@" + slot.time);
    });

    @Test
    void writesEachChangedSlotBackOnceInTheOrderOfFirstUseAndDropsTheObjects() {
        WriteBackCache.Slot<String> b = cache.add("b", 1, null);
        cache.change("b", b, "b1");
        WriteBackCache.Slot<String> a = cache.add("a", 2, bytes("a0"));
        cache.change("a", a, "a1");
        cache.change("b", b, "b2");

        cache.writeBackAll();
        cache.writeBackAll();

        assertThat(written).containsExactly("b=b2@1", "a=a1@2");
        assertThat(b.value).isNull();
        assertThat(b.bytes).isEqualTo(bytes("b2"));
        assertThat(a.bytes).isEqualTo(bytes("a1"));
    }

    @Test
    void aSlotOnlyReadKeepsItsBytesAndLosesItsObjectAtTheCommit() {
        WriteBackCache.Slot<String> slot = cache.add("a", 0, bytes("a0"));
        slot.value = "a0";
        cache.use("a", slot);

        cache.writeBackAll();

        assertThat(written).isEmpty();
        assertThat(slot.value).isNull();
        assertThat(slot.bytes).isEqualTo(bytes("a0"));
    }

    @Test
    void evictsTheLeastRecentlyUsedSlotWritingItBackOnlyWhenChanged() {
        cache.add("clean", 0, bytes("c"));
        cache.change("dirty", cache.add("dirty", 0, null), "d");
        cache.get("clean");

        cache.add("third", 0, bytes("t"));

        assertThat(written).containsExactly("dirty=d@0");
        assertThat(cache.get("dirty")).isNull();
        cache.add("fourth", 0, bytes("f"));
        assertThat(written).containsExactly("dirty=d@0");
        assertThat(cache.get("clean")).isNull();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aSlotEvictedBeforeTheCommitIsNotWrittenTwice() {
        for (String key : List.of("a", "b", "c")) {
            cache.change(key, cache.add(key, 0, null), key + "1");
        }

        cache.writeBackAll();

        assertThat(written).containsExactly("a=a1@0", "b=b1@0", "c=c1@0");
    }

    @Test
    void removedAndReplacedSlotsAreNotWrittenBack() {
        cache.change("gone", cache.add("gone", 0, null), "g");
        cache.change("replaced", cache.add("replaced", 0, null), "old");
        cache.remove("gone");
        cache.add("replaced", 1, bytes("new"));

        cache.writeBackAll();

        assertThat(written).isEmpty();
        assertThat(cache.get("replaced").bytes).isEqualTo(bytes("new"));
    }

    @Test
    void clearForgetsChangesWithoutWritingThem() {
        cache.change("a", cache.add("a", 0, null), "a1");

        cache.clear();
        cache.writeBackAll();

        assertThat(written).isEmpty();
        assertThat(cache.get("a")).isNull();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
