package io.keywatch.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.KeyProfile;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rule list and its declarations: complete, consistent, and the public switch names unchanged. */
class DetectorsTest {

    private final Detectors detectors = Detectors.all();

    @Test
    void everyRuleIsDeclaredOnce() {
        Set<AlertRule> declared = EnumSet.noneOf(AlertRule.class);
        detectors.list().forEach(d -> assertThat(declared.add(d.declaration().rule())).isTrue());

        assertThat(declared).containsExactlyInAnyOrder(AlertRule.values());
    }

    @Test
    void everySettingIsDeclaredByARuleAndDescribedAlikeWhereShared() {
        Map<DetectionSetting, SettingDoc> docs = new HashMap<>();
        for (Detector detector : detectors.list()) {
            for (SettingDoc doc : detector.declaration().settings()) {
                SettingDoc first = docs.putIfAbsent(doc.setting(), doc);
                if (first != null) {
                    assertThat(doc).as("%s declared differently by two rules", doc.setting()).isEqualTo(first);
                }
            }
        }

        assertThat(docs.keySet()).containsExactlyInAnyOrderElementsOf(detectors.settings());
    }

    /**
     * Every setting constant of a rule class (or of the hygiene scan, which owns its interval) is in the derived set,
     * so none is forgotten in its rule's declaration (it would be neither read from the environment nor documented),
     * and no two constants share a name (they would share one environment variable and one per-key name).
     */
    @Test
    void everySettingConstantIsInTheSetAndNoTwoShareAName() throws IllegalAccessException {
        List<Class<?>> owners = new ArrayList<>();
        detectors.list().forEach(d -> owners.add(d.getClass()));
        owners.add(KeyHygieneScan.class);
        Map<String, DetectionSetting> byName = new HashMap<>();
        int constants = 0;
        for (Class<?> owner : owners) {
            for (Field field : owner.getDeclaredFields()) {
                if (field.getType() != DetectionSetting.class) {
                    continue;
                }
                assertThat(Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers()))
                        .as("%s.%s is a static final constant", owner.getSimpleName(), field.getName()).isTrue();
                DetectionSetting setting = (DetectionSetting) field.get(null);
                constants++;
                assertThat(detectors.settings()).as("%s.%s is listed in a declaration", owner.getSimpleName(),
                        field.getName()).contains(setting);
                DetectionSetting other = byName.putIfAbsent(setting.key(), setting);
                assertThat(other).as("two constants are named %s", setting.key()).isNull();
            }
        }

        assertThat(constants).isEqualTo(detectors.settings().size());
        assertThat(detectors.settings()).extracting(DetectionSetting::key).doesNotHaveDuplicates()
                .startsWith("volume.warmupMinutes").endsWith("hygiene.scanMinutes");
    }

    @Test
    void twoDifferentSettingsOfOneNameAreRefused() {
        DetectionSetting floor = DetectionSetting.wholeNumber("volume.floor", 50, 1, 1e9);
        Detector.OnScan impostor = new Detector.OnScan() {
            @Override
            public RuleDeclaration declaration() {
                return new RuleDeclaration(AlertRule.KEY_UNUSED, Trigger.HYGIENE_SCAN, Dedup.DAY, "`LOW`",
                        Toggle.GLOBAL_ONLY, null, List.of(SettingDoc.of(floor, "", "a second floor")), "test");
            }

            @Override
            public Finding evaluate(ScanContext context) {
                return null;
            }
        };

        assertThatThrownBy(() -> new Detectors(List.of(new VolumeSpikeRule(), impostor)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("volume.floor");
    }

    /** The per-key switches are public (registry entries hold them): these names must not change. */
    @Test
    void theSwitchNamesAreTheOnesRegistryEntriesAlreadyUse() {
        Map<AlertRule, String> switches = new LinkedHashMap<>();
        detectors.list().forEach(d -> switches.put(d.declaration().rule(), d.declaration().enabledKey()));

        assertThat(switches).containsAllEntriesOf(Map.ofEntries(
                Map.entry(AlertRule.VOLUME_SPIKE, "volume.enabled"),
                Map.entry(AlertRule.AUTH_FAILURE_BURST, "authFailures.enabled"),
                Map.entry(AlertRule.EXPIRED_KEY_USED, "expired.enabled"),
                Map.entry(AlertRule.SCOPE_VIOLATION, "scope.enabled"),
                Map.entry(AlertRule.RATE_LIMIT_EXCEEDED, "rateLimit.enabled"),
                Map.entry(AlertRule.IP_FANOUT, "ipFanout.enabled"),
                Map.entry(AlertRule.NEW_COUNTRY, "country.enabled"),
                Map.entry(AlertRule.INSECURE_TRANSPORT, "insecureTransport.enabled"),
                Map.entry(AlertRule.KEY_IN_URL, "keyInUrl.enabled"),
                Map.entry(AlertRule.DORMANT_KEY_REACTIVATED, "dormant.enabled"),
                Map.entry(AlertRule.KEY_EXPIRING, "expiring.enabled"),
                Map.entry(AlertRule.KEY_ROTATION_DUE, "rotation.enabled"),
                Map.entry(AlertRule.KEY_UNUSED, "unused.enabled"),
                Map.entry(AlertRule.KEY_OVERPRIVILEGED, "overprivileged.enabled")));
        for (AlertRule noSwitch : List.of(AlertRule.REVOKED_KEY_USED, AlertRule.CANARY_KEY_USED, AlertRule.UNKNOWN_KEY,
                AlertRule.SECRET_IN_TELEMETRY, AlertRule.REVOCATION_GUARD_TRIPPED, AlertRule.WEBHOOK_FAILING)) {
            assertThat(switches.get(noSwitch)).as("%s", noSwitch).isNull();
        }
    }

    @Test
    void theListsByTriggerFollowTheDeclarations() {
        detectors.onEvent().forEach(d -> assertThat(d.declaration().trigger())
                .isIn(Trigger.EVENT, Trigger.MINUTE_OPEN));
        detectors.onScan().forEach(d -> assertThat(d.declaration().trigger()).isEqualTo(Trigger.HYGIENE_SCAN));
        assertThat(detectors.onEvent()).hasSize(15);
        assertThat(detectors.onScan()).hasSize(4);
    }

    /** Marks are stored by the rule's code: a rule with a window needs no slot list, every rule can keep one. */
    @Test
    void everyRuleWithAnHourDayOrWeekWindowCanKeepItsMarkInTheProfile() {
        KeyProfile profile = new KeyProfile();
        long window = 0;
        for (Detector detector : detectors.list()) {
            RuleDeclaration d = detector.declaration();
            if (d.dedup() == Dedup.DAY || d.dedup() == Dedup.INSECURE_PERIOD || d.dedup() == Dedup.WEEK) {
                window += 3_600_000L;
                profile.markAlerted(d.rule(), window);
                assertThat(profile.alertedIn(d.rule(), window)).as("%s", d.rule()).isTrue();
            }
        }
        assertThat(window).isPositive();
    }

    @Test
    void aRuleOnlyTheApiRaisesNeverRunsInTheTopology() {
        detectors.list().stream().filter(d -> d.declaration().trigger() == Trigger.API)
                .forEach(d -> assertThat(d).isNotInstanceOfAny(Detector.OnEvent.class, Detector.OnScan.class));
    }

    @Test
    void aSecondDetectorForTheSameRuleIsRefused() {
        assertThatThrownBy(() -> new Detectors(List.of(new VolumeSpikeRule(), new VolumeSpikeRule())))
                .hasMessageContaining("two detectors declare VOLUME_SPIKE");
    }

    @Test
    void aPerKeySwitchNeedsItsPrefixAndOnlyItHasOne() {
        assertThatThrownBy(() -> new RuleDeclaration(AlertRule.VOLUME_SPIKE, Trigger.EVENT, Dedup.MINUTE, "`HIGH`",
                Toggle.GLOBAL_AND_PER_KEY, null, List.of(), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RuleDeclaration(AlertRule.UNKNOWN_KEY, Trigger.EVENT, Dedup.DAY, "`LOW`",
                Toggle.GLOBAL_ONLY, "unknown", List.of(), "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSwitchesComeFromTheDeclarations() {
        DetectionSettings settings = DetectionSettings.DEFAULTS
                .withDisabledRules(Set.of(AlertRule.REVOKED_KEY_USED, AlertRule.UNKNOWN_KEY));
        KeyMetadata offForKey = new KeyMetadata("o", "s", null, null, null, null, null, null, null,
                Map.of("country.enabled", 0.0, "unknown.enabled", 0.0));
        KeyThresholds key = KeyThresholds.forKey(settings, KeyThresholds.global(settings), offForKey);

        assertThat(key.enabled(AlertRule.NEW_COUNTRY)).isFalse();
        assertThat(key.enabled(AlertRule.VOLUME_SPIKE)).isTrue();
        // revoked keys that still work are always reported; the unknown-key rule has no per-key switch
        assertThat(key.enabled(AlertRule.REVOKED_KEY_USED)).isTrue();
        assertThat(key.enabled(AlertRule.UNKNOWN_KEY)).isFalse();
        assertThat(KeyThresholds.global(DetectionSettings.DEFAULTS).enabled(AlertRule.UNKNOWN_KEY)).isTrue();
    }
}
