package io.keywatch.streams.stores;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteBackCacheTest {

    private final List<String> written = new ArrayList<>();
    private final WriteBackCache<String, String> cache =
            new WriteBackCache<>(2, (key, value, time) -> written.add(key + "=" + value + "@" + time));

    @Test
    void writesEachChangedSlotBackOnceInTheOrderTheyChanged() {
        cache.put("b", 1, "b1", true);
        cache.put("a", 2, "a1", true);
        WriteBackCache.Slot<String> b = cache.get("b");
        b.value = "b2";
        cache.markDirty("b", b);

        cache.writeBackAll();
        cache.writeBackAll();

        assertThat(written).containsExactly("b=b2@1", "a=a1@2");
    }

    @Test
    void evictsTheLeastRecentlyUsedSlotWritingItBackOnlyWhenChanged() {
        cache.put("clean", 0, "c", false);
        cache.put("dirty", 0, "d", true);
        cache.get("clean");

        cache.put("third", 0, "t", false);

        assertThat(written).containsExactly("dirty=d@0");
        assertThat(cache.get("dirty")).isNull();
        cache.put("fourth", 0, "f", false);
        assertThat(written).containsExactly("dirty=d@0");
        assertThat(cache.get("clean")).isNull();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aSlotEvictedBeforeTheCommitIsNotWrittenTwice() {
        cache.put("a", 0, "a1", true);
        cache.put("b", 0, "b1", true);
        cache.put("c", 0, "c1", true);

        cache.writeBackAll();

        assertThat(written).containsExactly("a=a1@0", "b=b1@0", "c=c1@0");
    }

    @Test
    void removedAndReplacedSlotsAreNotWrittenBack() {
        cache.put("gone", 0, "g", true);
        cache.put("replaced", 0, "old", true);
        cache.remove("gone");
        cache.put("replaced", 1, "new", false);

        cache.writeBackAll();

        assertThat(written).isEmpty();
        assertThat(cache.get("replaced").value).isEqualTo("new");
    }

    @Test
    void clearForgetsChangesWithoutWritingThem() {
        cache.put("a", 0, "a1", true);

        cache.clear();
        cache.writeBackAll();

        assertThat(written).isEmpty();
        assertThat(cache.get("a")).isNull();
    }
}
