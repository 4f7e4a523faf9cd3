package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.streams.DetectionSetting;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every rule, in one place: one line per rule. The processor runs the event rules in this order (the order alerts of
 * one event go out in), the hygiene scan runs the scan rules, and the rule and setting tables are generated from the
 * declarations. Adding a rule: write its class (a {@link Detector.OnEvent} or {@link Detector.OnScan} with its
 * {@link RuleDeclaration}), give its {@link AlertRule} a new stored code, and add its line here. Its settings are
 * {@code public static final} {@link DetectionSetting} constants of its class, listed in its declaration: the set of
 * all settings ({@link #settings()}, read from the environment, per key, and into the README) is derived from the
 * declarations, so nothing else needs editing.
 *
 * <p>Rule objects are stateless: one list serves every task.
 */
public final class Detectors {

    /**
     * Settings no rule owns: read by the processor itself (the hygiene scan's interval, which the scan rules also
     * list), and listed after the rules' own.
     */
    private static final List<DetectionSetting> PROCESSOR_SETTINGS = List.of(KeyHygieneScan.SCAN_MINUTES);

    private static final Detectors ALL = new Detectors(List.of(
            new CanaryKeyUsedRule(),
            new VolumeSpikeRule(),
            new VolumeDropRule(),
            new AuthFailureBurstRule(),
            new RevokedKeyUseRule(),
            new ExpiredKeyUseRule(),
            new ScopeViolationRule(),
            new RateLimitRule(),
            new IpFanoutRule(),
            new NewCountryRule(),
            new InsecureTransportRule(),
            new KeyInUrlRule(),
            new DormantKeyRule(),
            new SecretInTelemetryRule(),
            new UnknownKeyRule(),
            new KeyExpiringRule(),
            new KeyRotationDueRule(),
            new KeyUnusedRule(),
            new KeyOverprivilegedRule(),
            RaisedByApi.REVOCATION_GUARD_TRIPPED,
            RaisedByApi.WEBHOOK_FAILING));

    private final List<Detector> detectors;
    private final List<Detector.OnEvent> onEvent = new ArrayList<>();
    private final List<Detector.OnScan> onScan = new ArrayList<>();
    private final Map<AlertRule, RuleDeclaration> declarations = new EnumMap<>(AlertRule.class);
    private final List<DetectionSetting> settings;

    Detectors(List<Detector> detectors) {
        this.detectors = List.copyOf(detectors);
        for (Detector detector : this.detectors) {
            RuleDeclaration declaration = detector.declaration();
            if (declarations.put(declaration.rule(), declaration) != null) {
                throw new IllegalStateException("two detectors declare " + declaration.rule());
            }
            if (detector instanceof Detector.OnEvent event) {
                onEvent.add(event);
            }
            if (detector instanceof Detector.OnScan scan) {
                onScan.add(scan);
            }
        }
        Map<String, DetectionSetting> byName = new LinkedHashMap<>();
        for (Detector detector : this.detectors) {
            for (SettingDoc doc : detector.declaration().settings()) {
                if (!PROCESSOR_SETTINGS.contains(doc.setting())) {
                    add(byName, doc.setting());
                }
            }
        }
        PROCESSOR_SETTINGS.forEach(setting -> add(byName, setting));
        this.settings = List.copyOf(byName.values());
    }

    private static void add(Map<String, DetectionSetting> byName, DetectionSetting setting) {
        DetectionSetting known = byName.putIfAbsent(setting.key(), setting);
        if (known != null && !known.equals(setting)) {
            throw new IllegalStateException("two different settings are named " + setting.key());
        }
    }

    /** Every rule keywatch knows, the topology's and the API's. */
    public static Detectors all() {
        return ALL;
    }

    public List<Detector> list() {
        return detectors;
    }

    /** The rules that run on usage events, in the order they run. */
    public List<Detector.OnEvent> onEvent() {
        return onEvent;
    }

    /** The rules of the hygiene scan, in the order they run. */
    public List<Detector.OnScan> onScan() {
        return onScan;
    }

    /**
     * Every setting, once: those the rules declare, in the order of the rules and of their declarations, then the
     * processor's. Environment parsing, per-key overrides, validation and the README's setting table iterate this.
     */
    public List<DetectionSetting> settings() {
        return settings;
    }

    /** The rule's declaration, or null for a rule nobody declared (a test makes sure there is none). */
    public RuleDeclaration declaration(AlertRule rule) {
        return declarations.get(rule);
    }
}
