package io.keywatch.api.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where a key's per-minute usage comes from: the topology's own state (an interactive query of its usage window
 * store), so that the chart shows the very numbers detection judged. The standalone adapts its in-process topology
 * to this; the API alone has none.
 */
public interface UsageSource {

    /** What the answers say they come from, e.g. "topology". */
    String name();

    /** How long minutes are kept: older ones are gone (not zero). */
    Duration retention();

    /**
     * The key's minutes that start in {@code [from, to)} and saw traffic, oldest first.
     *
     * @throws UsageUnavailableException when the state cannot be queried now (e.g. rebalancing)
     */
    List<UsageMinute> minutes(String keyId, Instant from, Instant to);
}
