package io.keywatch.tools.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Env;
import org.rocksdb.Options;
import org.rocksdb.RocksMemEnv;

/**
 * Keeps a backtest's RocksDB files in memory. Why: {@code TopologyTestDriver} commits after every record, and a
 * commit flushes each RocksDB store to a new, synced file; on disk that caps a replay at a few hundred events per
 * second. The stores and their retention are the topology's own, so memory stays bounded by what the stores keep
 * (two hours of per-minute aggregates by default) whatever the length of history.
 *
 * <p>Kafka Streams tells the setter that a store closes <em>before</em> it closes the database, which still needs
 * its environment then; so the environments belong to the run (config {@value #RUN_CONFIG}) and are released by
 * {@link #release(String)} once the driver is closed.
 */
public final class InMemoryRocksDb implements RocksDBConfigSetter {

    /** The streams config entry that names the run the stores belong to. */
    public static final String RUN_CONFIG = "keywatch.backtest.run";

    private static final Map<String, List<RocksMemEnv>> ENVS = new ConcurrentHashMap<>();

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object run = configs.get(RUN_CONFIG);
        if (run == null) {
            return; // not a backtest: leave the store on disk
        }
        RocksMemEnv env = new RocksMemEnv(Env.getDefault());
        ENVS.computeIfAbsent(run.toString(), r -> new ArrayList<>()).add(env);
        options.setEnv(env);
    }

    @Override
    public void close(String storeName, Options options) {
        // the database is still open here: its environment is released with the run
    }

    /** Frees the in-memory files of every store of {@code run}; call after the driver is closed. */
    static void release(String run) {
        List<RocksMemEnv> envs = ENVS.remove(run);
        if (envs != null) {
            envs.forEach(RocksMemEnv::close);
        }
    }
}
