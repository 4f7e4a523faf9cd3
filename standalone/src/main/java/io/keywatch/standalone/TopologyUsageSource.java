package io.keywatch.standalone;

import io.keywatch.api.usage.UsageMinute;
import io.keywatch.api.usage.UsageSource;
import io.keywatch.api.usage.UsageUnavailableException;
import io.keywatch.streams.KeywatchStreamsService;
import io.keywatch.streams.aggregate.MinuteUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The API's key usage read from the in-process topology's per-minute usage window store (an interactive query): the
 * numbers detection judged, at no extra write per event. Only this instance's partitions are queried, which in the
 * standalone are all of them.
 */
public final class TopologyUsageSource implements UsageSource {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final KeywatchStreamsService streams;
    private final Duration retention;

    public TopologyUsageSource(KeywatchStreamsService streams, Duration retention) {
        this.streams = streams;
        this.retention = retention;
    }

    @Override
    public String name() {
        return "topology";
    }

    @Override
    public Duration retention() {
        return retention;
    }

    @Override
    public List<UsageMinute> minutes(String keyId, Instant from, Instant to) {
        List<MinuteUsage> minutes;
        try {
            // the store's range includes its upper bound: the minute starting at `to` is not asked for
            minutes = streams.recentUsage(keyId, from, to.minusMillis(1));
        } catch (IllegalStateException e) {
            // not started, restoring or rebalancing: worth asking again in a moment
            throw new UsageUnavailableException("the topology's usage store cannot be queried now (state "
                    + streams.state() + ")", RETRY_AFTER, e);
        }
        return minutes.stream()
                .map(m -> new UsageMinute(m.windowStart(), m.requests(), m.authFailures(), m.errors(),
                        m.distinctClientIps(), m.alerts()))
                .toList();
    }
}
