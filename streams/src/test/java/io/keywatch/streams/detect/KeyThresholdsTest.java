package io.keywatch.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyThresholdsTest {

    private final DetectionSettings global = DetectionSettings.DEFAULTS.with(VolumeSpikeRule.FLOOR, 50);
    private final KeyThresholds shared = KeyThresholds.global(global);

    @Test
    void aPerKeyValueOverridesTheGlobalOne() {
        KeyThresholds key = KeyThresholds.forKey(global, shared, metadata(Map.of("volume.floor", 30.0,
                "ipFanout.factor", 2.5)));

        assertThat(key.getInt(VolumeSpikeRule.FLOOR)).isEqualTo(30);
        assertThat(key.get(IpFanoutRule.FACTOR)).isEqualTo(2.5);
        assertThat(key.get(VolumeSpikeRule.FACTOR)).isEqualTo(3.0);
        assertThat(key.overridden(VolumeSpikeRule.FLOOR)).isTrue();
    }

    @Test
    void aRuleOffByDefaultRunsOnlyWhereSwitchedOn() {
        RuleDeclaration drop = Detectors.all().declaration(AlertRule.VOLUME_DROP);
        assertThat(drop.onByDefault()).isFalse();

        assertThat(shared.enabled(drop)).isFalse();
        assertThat(KeyThresholds.forKey(global, shared, metadata(Map.of("drop.enabled", 1.0))).enabled(drop)).isTrue();
        KeyThresholds everyKey = KeyThresholds.global(global.withEnabledRules(Set.of(AlertRule.VOLUME_DROP)));
        assertThat(everyKey.enabled(drop)).isTrue();
        assertThat(KeyThresholds.forKey(global.withEnabledRules(Set.of(AlertRule.VOLUME_DROP)), everyKey,
                metadata(Map.of("drop.enabled", 0.0))).enabled(drop)).isFalse();
        // the disabled list wins, for every key and over a key's own switch
        DetectionSettings both = global.withEnabledRules(Set.of(AlertRule.VOLUME_DROP))
                .withDisabledRules(Set.of(AlertRule.VOLUME_DROP));
        assertThat(KeyThresholds.forKey(both, KeyThresholds.global(both), metadata(Map.of("drop.enabled", 1.0)))
                .enabled(drop)).isFalse();
        // rules on by default are not affected
        assertThat(shared.enabled(Detectors.all().declaration(AlertRule.VOLUME_SPIKE))).isTrue();
    }

    @Test
    void ignoresOverridesOutOfRangeUnknownOrGlobalOnly() {
        KeyThresholds key = KeyThresholds.forKey(global, shared, metadata(Map.of("volume.floor", -1.0,
                "rateLimit.minutes", 2.5, "hygiene.scanMinutes", 1.0, "no.such", 3.0)));

        assertThat(key.getInt(VolumeSpikeRule.FLOOR)).isEqualTo(50);
        assertThat(key.getInt(RateLimitRule.MINUTES)).isEqualTo(3);
        assertThat(key.getInt(KeyHygieneScan.SCAN_MINUTES)).isEqualTo(10);
    }

    @Test
    void switchesRulesOffPerKeyOrGlobally() {
        KeyThresholds key = KeyThresholds.forKey(global.withDisabledRules(Set.of(AlertRule.KEY_IN_URL)), shared,
                metadata(Map.of("volume.enabled", 0.0, "ipFanout.enabled", 1.0)));

        assertThat(key.enabled(AlertRule.VOLUME_SPIKE)).isFalse();
        assertThat(key.enabled(AlertRule.IP_FANOUT)).isTrue();
        assertThat(key.enabled(AlertRule.KEY_IN_URL)).isFalse();
        assertThat(key.enabled(AlertRule.SCOPE_VIOLATION)).isTrue();
    }

    @Test
    void keysWithoutOverridesShareTheGlobalView() {
        assertThat(KeyThresholds.forKey(global, shared, null)).isSameAs(shared);
        assertThat(KeyThresholds.forKey(global, shared, metadata(null))).isSameAs(shared);
    }

    private static KeyMetadata metadata(Map<String, Double> thresholds) {
        return new KeyMetadata(null, null, null, null, null, null, null, null, null, thresholds);
    }
}
