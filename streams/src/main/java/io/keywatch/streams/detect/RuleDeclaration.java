package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import java.util.List;

/**
 * What a rule declares about itself: the generated rule and setting tables (README, {@code keywatch rules}), the
 * per-key switch and the de-duplication the processor applies all come from here.
 *
 * @param severity     the severities it raises and when, as the rule table says it
 * @param switchPrefix the prefix of its per-key switch ({@code <prefix>.enabled = 0}); null unless
 *                     {@code toggle} is {@link Toggle#GLOBAL_AND_PER_KEY}
 * @param settings     the settings it reads, in the order the tables list them
 * @param meaning      one line: what an alert of this rule means
 * @param onByDefault  false for a rule that only runs where switched on: for every key by
 *                     {@code KEYWATCH_DETECT_ENABLED_RULES}, for one by {@code <prefix>.enabled = 1}
 */
public record RuleDeclaration(AlertRule rule, Trigger trigger, Dedup dedup, String severity, Toggle toggle,
                              String switchPrefix, List<SettingDoc> settings, String meaning, boolean onByDefault) {

    /** A rule that runs unless switched off. */
    public RuleDeclaration(AlertRule rule, Trigger trigger, Dedup dedup, String severity, Toggle toggle,
                           String switchPrefix, List<SettingDoc> settings, String meaning) {
        this(rule, trigger, dedup, severity, toggle, switchPrefix, settings, meaning, true);
    }

    public RuleDeclaration {
        settings = List.copyOf(settings);
        if ((toggle == Toggle.GLOBAL_AND_PER_KEY) != (switchPrefix != null)) {
            throw new IllegalArgumentException(rule + ": a per-key switch needs a prefix, and only it");
        }
        if (!onByDefault && toggle == Toggle.ALWAYS_ON) {
            throw new IllegalArgumentException(rule + ": a rule that is always on cannot be off by default");
        }
    }

    /** The per-key switch's name ({@code volume.enabled}), or null. */
    public String enabledKey() {
        return switchPrefix == null ? null : switchPrefix + ".enabled";
    }
}
