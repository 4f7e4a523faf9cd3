package io.keywatch.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.AlertRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's rule filter offers every rule keywatch raises: a rule added to {@link AlertRule} without being added
 * to the console's list could not be filtered on (three rules had been missed before this test).
 */
class ConsoleRuleListTest {

    @Test
    void theAlertsPageOffersEveryRuleInStoredCodeOrder() throws IOException {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/console/js/pages/alerts.js")) {
            assertThat(in).as("the alerts page script is on the class path").isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher list = Pattern.compile("const RULES = \\[([^\\]]*)]").matcher(script);
        assertThat(list.find()).as("alerts.js declares const RULES = [...]").isTrue();
        List<String> offered = new ArrayList<>();
        Matcher name = Pattern.compile("'([A-Z_]+)'").matcher(list.group(1));
        while (name.find()) {
            offered.add(name.group(1));
        }
        List<String> rules = Arrays.stream(AlertRule.values()).sorted(Comparator.comparingInt(AlertRule::code))
                .map(Enum::name).toList();
        assertThat(offered).isEqualTo(rules);
    }
}
