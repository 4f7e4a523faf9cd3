package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.MinuteUsage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UsageStoreTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void keepsPerKeyMinuteAggregatesInTheNamedWindowStore() {
        fixture.send(request("key-1", 0, 1, 200, AuthResult.OK, "10.0.0.1", "DE", "/v1/a"));
        fixture.send(request("key-1", 0, 2, 503, AuthResult.OK, "10.0.0.1", "DE", "/v1/a"));
        fixture.send(request("key-1", 0, 3, 401, AuthResult.INVALID_SECRET, "10.0.0.2", "FR", "/v1/b"));
        fixture.send(request("key-1", 0, 4, 500, AuthResult.OK, "10.0.0.1", null, "/v1/a"));
        fixture.send(request("key-1", 1, 5, 200, AuthResult.OK, "10.0.0.3", "DE", "/v1/a"));
        fixture.send(request("key-2", 0, 6, 200, AuthResult.OK, "10.9.9.9", "US", "/v2"));

        List<MinuteUsage> minutes = fixture.usage("key-1", minute(0), minute(5));

        assertThat(minutes).extracting(MinuteUsage::windowStart).containsExactly(minute(0), minute(1));
        MinuteUsage first = minutes.get(0);
        assertThat(first.keyId()).isEqualTo("key-1");
        assertThat(first.windowEnd()).isEqualTo(minute(1));
        assertThat(first.requests()).isEqualTo(4);
        assertThat(first.errors()).isEqualTo(2);
        assertThat(first.authFailures()).isEqualTo(1);
        assertThat(first.distinctClientIps()).isEqualTo(2);
        assertThat(first.clientIpsSaturated()).isFalse();
        assertThat(first.distinctCountries()).isEqualTo(2);
        assertThat(first.topClientIps()).containsExactly(Map.entry("10.0.0.1", 3L), Map.entry("10.0.0.2", 1L));
        assertThat(first.topCountries()).containsExactly(Map.entry("DE", 2L), Map.entry("FR", 1L));
        assertThat(first.topPaths()).containsExactly(Map.entry("/v1/a", 3L), Map.entry("/v1/b", 1L));
        assertThat(first.authResults()).containsExactly(Map.entry("OK", 3L), Map.entry("INVALID_SECRET", 1L));
        assertThat(first.baselineRequests()).isNull();
        // key-1 is not in the registry: its first minute raised UNKNOWN_KEY and nothing else
        assertThat(first.alerts()).containsOnlyKeys(AlertRule.UNKNOWN_KEY);
        // the second minute opened with the first as its (single-minute) baseline: its 3 requests made with the
        // right secret (the INVALID_SECRET one is brute force's business, not volume)
        assertThat(minutes.get(1).baselineRequests()).isEqualTo(3.0);
        assertThat(minutes.get(1).baselineMinutes()).isEqualTo(1);
        assertThat(fixture.usage("key-2", minute(0), minute(5))).singleElement()
                .extracting(MinuteUsage::requests).isEqualTo(1L);
    }

    @Test
    void capsDistinctClientIpsAndFlagsTheSaturation() {
        int ips = MinuteAggregate.MAX_CLIENT_IPS + 44;
        for (int i = 0; i < ips; i++) {
            fixture.send(request("key-1", 0, i, 200, AuthResult.OK, "192.0." + (i / 200) + "." + (i % 200), "DE",
                    "/v1/a"));
        }

        MinuteUsage usage = fixture.usageAt("key-1", minute(0));
        assertThat(usage.requests()).isEqualTo(ips);
        assertThat(usage.distinctClientIps()).isEqualTo(MinuteAggregate.MAX_CLIENT_IPS);
        assertThat(usage.clientIpsSaturated()).isTrue();
        assertThat(usage.topClientIps()).hasSize(MinuteUsage.TOP_N);
    }

    private UsageEvent request(String keyId, int minute, int n, int status, AuthResult auth, String ip,
                               String country, String path) {
        UsageEvent base = fixture.event(keyId, minute(minute).plusMillis(n * 100L));
        return new UsageEvent(base.eventId(), keyId, base.timestamp(), base.service(), "GET", path, status, auth,
                ip, "agent", country, 12, null, true, null);
    }
}
