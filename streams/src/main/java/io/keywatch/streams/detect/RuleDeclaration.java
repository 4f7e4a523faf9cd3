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
 */
public record RuleDeclaration(AlertRule rule, Trigger trigger, Dedup dedup, String severity, Toggle toggle,
                              String switchPrefix, List<SettingDoc> settings, String meaning) {

    public RuleDeclaration {
        settings = List.copyOf(settings);
        if ((toggle == Toggle.GLOBAL_AND_PER_KEY) != (switchPrefix != null)) {
            throw new IllegalArgumentException(rule + ": a per-key switch needs a prefix, and only it");
        }
    }

    /** The per-key switch's name ({@code volume.enabled}), or null. */
    public String enabledKey() {
        return switchPrefix == null ? null : switchPrefix + ".enabled";
    }
}
