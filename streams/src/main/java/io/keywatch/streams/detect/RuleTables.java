package io.keywatch.streams.detect;

import io.keywatch.streams.DetectionSetting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule and setting tables as Markdown, generated from the rules' declarations ({@link Detectors}), and their
 * place in the README between markers. {@code keywatch rules} prints them; a test fails when the README is stale.
 */
public final class RuleTables {

    /** The README's markers around each generated table. */
    public static final String RULES_SECTION = "rules";
    public static final String SETTINGS_SECTION = "rule-settings";

    private final Detectors detectors;

    public RuleTables(Detectors detectors) {
        this.detectors = detectors;
    }

    /** One row per rule: what it means, when it runs, its severity, its de-dup window and how it is switched off. */
    public String rules() {
        StringBuilder table = new StringBuilder();
        table.append("| rule | fires when | severity | runs on | at most once per | switched off by |\n");
        table.append("| --- | --- | --- | --- | --- | --- |\n");
        for (Detector detector : detectors.list()) {
            RuleDeclaration d = detector.declaration();
            table.append("| `").append(d.rule()).append("` | ").append(cell(d.meaning())).append(" | ")
                    .append(cell(d.severity())).append(" | ").append(d.trigger().text()).append(" | ")
                    .append(d.dedup() == Dedup.INSECURE_PERIOD ? "key and `insecure.periodHours` (UTC-aligned)"
                            : d.dedup() == Dedup.API ? d.dedup().text() : "key and " + d.dedup().text())
                    .append(" | ").append(switchText(d)).append(" |\n");
        }
        return table.toString();
    }

    /** One row per setting, with the rules that read it. */
    public String settings() {
        Map<DetectionSetting, List<String>> readers = new LinkedHashMap<>();
        Map<DetectionSetting, SettingDoc> docs = new LinkedHashMap<>();
        for (Detector detector : detectors.list()) {
            for (SettingDoc doc : detector.declaration().settings()) {
                docs.putIfAbsent(doc.setting(), doc);
                readers.computeIfAbsent(doc.setting(), s -> new ArrayList<>())
                        .add("`" + detector.declaration().rule() + "`");
            }
        }
        StringBuilder table = new StringBuilder();
        table.append("| per-key name | environment variable | default | unit | per key | rules | meaning |\n");
        table.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (DetectionSetting setting : detectors.settings()) {
            SettingDoc doc = docs.get(setting);
            if (doc == null) {
                continue; // a processor setting that none of these rules lists
            }
            table.append("| `").append(setting.key()).append("` | `").append(setting.envVar()).append("` | ")
                    .append(number(setting.defaultValue(), setting.integer())).append(" | ")
                    .append(cell(doc.unit())).append(" | ").append(setting.perKey() ? "yes" : "no").append(" | ")
                    .append(String.join(", ", readers.get(setting))).append(" | ").append(cell(doc.description()))
                    .append(" |\n");
        }
        return table.toString();
    }

    /** {@code text} with the section between {@code <!-- name:begin -->} and {@code <!-- name:end -->} replaced. */
    public static String replaceSection(String text, String name, String content) {
        Pattern section = Pattern.compile("(<!-- " + Pattern.quote(name) + ":begin -->\\R)(.*?)(<!-- "
                + Pattern.quote(name) + ":end -->)", Pattern.DOTALL);
        Matcher matcher = section.matcher(text);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no <!-- " + name + ":begin --> ... <!-- " + name + ":end --> markers");
        }
        return text.substring(0, matcher.start(2)) + content + text.substring(matcher.end(2));
    }

    /** The README with both generated tables brought up to date. */
    public String updateReadme(String readme) {
        return replaceSection(replaceSection(readme, RULES_SECTION, rules()), SETTINGS_SECTION, settings());
    }

    private static String switchText(RuleDeclaration d) {
        if (!d.onByDefault()) {
            return "**off by default**: on with `KEYWATCH_DETECT_ENABLED_RULES`"
                    + (d.toggle() == Toggle.GLOBAL_AND_PER_KEY ? ", or `" + d.enabledKey() + " = 1` for a key" : "")
                    + "; off again with `KEYWATCH_DETECT_DISABLED_RULES`";
        }
        switch (d.toggle()) {
            case GLOBAL_AND_PER_KEY:
                return "`KEYWATCH_DETECT_DISABLED_RULES`, or `" + d.enabledKey() + " = 0` for a key";
            case GLOBAL_ONLY:
                return "`KEYWATCH_DETECT_DISABLED_RULES` only";
            default:
                return d.trigger() == Trigger.API ? "(the API's settings)" : "never";
        }
    }

    private static String number(double value, boolean integer) {
        return integer ? Long.toString((long) value) : Double.toString(value);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
