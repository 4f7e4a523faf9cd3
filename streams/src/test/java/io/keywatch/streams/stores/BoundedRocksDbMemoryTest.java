package io.keywatch.streams.stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

class BoundedRocksDbMemoryTest {

    @Test
    void readsTheTotalInMebibytesAndRefusesWhatIsNotOne() {
        assertThat(BoundedRocksDbMemory.megabytes(null)).isEqualTo(BoundedRocksDbMemory.DEFAULT_MB);
        assertThat(BoundedRocksDbMemory.megabytes(" 256 ")).isEqualTo(256);
        assertThatThrownBy(() -> BoundedRocksDbMemory.megabytes("12\u001b[31m")).isInstanceOf(
                IllegalArgumentException.class).hasMessageNotContaining("\u001b");
        assertThatThrownBy(() -> BoundedRocksDbMemory.megabytes("8")).hasMessageContaining("between 16");
        assertThatThrownBy(() -> BoundedRocksDbMemory.megabytes("99999999")).hasMessageContaining("between 16");
    }

    @Test
    void givesEveryStoreTheSharedCacheWithIndexAndFilterBlocksInsideIt() {
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        try (Options first = new Options().setTableFormatConfig(new BlockBasedTableConfig());
             Options second = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
            setter.setConfig("a", first, Map.of(BoundedRocksDbMemory.MEMORY_MB_CONFIG, "64"));
            setter.setConfig("b", second, Map.of());
            for (Options options : new Options[] {first, second}) {
                BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
                assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
                assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
            }
            setter.close("a", first);
            setter.close("b", second);
        }
    }
}
