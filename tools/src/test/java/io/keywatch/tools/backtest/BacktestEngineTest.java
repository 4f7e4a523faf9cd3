package io.keywatch.tools.backtest;

import static io.keywatch.tools.backtest.BacktestCommandTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.StreamsSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacktestEngineTest {

    /** The events here use unregistered keys; UNKNOWN_KEY (tested on its own) would add one alert per key. */
    private static final Map<String, String> UNREGISTERED_KEYS_OK = Map.of("KEYWATCH_DETECT_DISABLED_RULES", "UNKNOWN_KEY");


    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final KeyMetadata METADATA = new KeyMetadata("acme", "billing", List.of("billing:read"),
            T0.minus(Duration.ofDays(10)), null, 600, true, null, null, null);

    @Test
    void aLaterRevocationTakesEffectAtItsTimeAndTheKeyIsRegisteredBefore() {
        KeyState revoked = new KeyState("key_r", KeyStatus.REVOKED, T0.plus(Duration.ofMinutes(5)), "leaked",
                "api:admin", METADATA);
        List<UsageEvent> events = List.of(
                event("key_r", T0.plus(Duration.ofMinutes(1)), AuthResult.OK),
                event("key_r", T0.plus(Duration.ofMinutes(6)), AuthResult.OK));

        BacktestResult result = Backtest.fromEnv(UNREGISTERED_KEYS_OK).run(events.iterator(), List.of(revoked));

        assertThat(result.alerts()).extracting(a -> a.rule() + "@" + a.triggeredAt())
                .containsExactly(AlertRule.REVOKED_KEY_USED + "@" + T0.plus(Duration.ofMinutes(6)));
        assertThat(result.keyStates()).isEqualTo(2); // an ACTIVE registration at the start, then the revocation
        Deque<KeyState> timed = new ArrayDeque<>();
        List<KeyState> initial = Backtest.initialStates(List.of(revoked), T0, timed);
        assertThat(initial).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(KeyStatus.ACTIVE);
            assertThat(s.metadata()).isEqualTo(METADATA);
        });
        assertThat(timed).containsExactly(revoked);
    }

    @Test
    void detectionSettingsCanBeChangedAndTheSummaryCountsPerRuleKeyAndSeverity() {
        List<UsageEvent> events = new ArrayList<>();
        for (String key : List.of("key_a", "key_b")) {
            for (int i = 0; i < 12; i++) {
                events.add(event(key, T0.plusSeconds(i), AuthResult.INVALID_SECRET));
            }
        }
        events.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
        // thresholds as KEYWATCH_DETECT_* would set them, without depending on the settings' constructor
        StreamsSettings.DetectionSettings lower = Backtest.fromEnv(Map.of("KEYWATCH_DETECT_AUTH_FAILURES_HIGH", "10",
                "KEYWATCH_DETECT_DISABLED_RULES", "UNKNOWN_KEY"))
                .settings().detection();

        BacktestResult defaults = Backtest.fromEnv(UNREGISTERED_KEYS_OK).run(events.iterator(), List.of());
        BacktestResult tuned = Backtest.fromEnv(UNREGISTERED_KEYS_OK).withDetection(lower).run(events.iterator(), List.of());

        assertThat(defaults.alerts()).isEmpty();
        assertThat(defaults.byRule()).isEmpty();
        BacktestResult.RuleSummary burst = tuned.byRule().get(AlertRule.AUTH_FAILURE_BURST);
        assertThat(burst.alerts()).isEqualTo(2);
        assertThat(burst.keys()).containsExactlyInAnyOrder("key_a", "key_b");
        assertThat(burst.bySeverity()).containsEntry(Severity.HIGH, 2L).containsEntry(Severity.CRITICAL, 0L);
        assertThat(tuned.firstEventTime()).isEqualTo(T0);
        assertThat(tuned.lastEventTime()).isEqualTo(T0.plusSeconds(11));
    }

    @Test
    void anEmptyHistoryRaisesNothing() {
        BacktestResult result = Backtest.fromEnv(UNREGISTERED_KEYS_OK).run(List.<UsageEvent>of().iterator(), List.of());

        assertThat(result.events()).isZero();
        assertThat(result.alerts()).isEmpty();
        assertThat(result.firstEventTime()).isNull();
    }
}
