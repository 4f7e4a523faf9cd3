package io.keywatch.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyScopeUsage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyOverprivilegedRuleTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 6, 10);
    private static final long NOW = Instant.parse("2026-06-10T12:00:00Z").toEpochMilli();
    private final KeyOverprivilegedRule rule = new KeyOverprivilegedRule();

    @Test
    void aTruncatedRecordDoesNotCallAMissingScopeUnusedWhileItKeptOnlyRecentOnes() {
        KeyScopeUsage usage = new KeyScopeUsage("k", TODAY.minusDays(90), full(TODAY.minusDays(3)), true);

        assertThat(rule.check("k", metadata("s00", "dropped"), usage, NOW, 30)).isNull();
    }

    @Test
    void aTruncatedRecordWhoseOldestScopeIsBeforeTheWindowProvesAMissingScopeUnused() {
        Map<String, LocalDate> kept = full(TODAY.minusDays(3));
        kept.put("s63", TODAY.minusDays(40));
        KeyScopeUsage usage = new KeyScopeUsage("k", TODAY.minusDays(90), kept, true);

        Finding finding = rule.check("k", metadata("s00", "dropped"), usage, NOW, 30);

        assertThat(finding.evidence()).containsEntry("unusedScopes", List.of("dropped"))
                .containsEntry("grant", List.of("s00")).containsEntry("truncated", true);
    }

    @Test
    void matchesScopesExactlyAndListsARepeatedRegisteredScopeOnce() {
        KeyScopeUsage usage = new KeyScopeUsage("k", TODAY.minusDays(31), Map.of("Orders:Read", TODAY), false);

        Finding finding = rule.check("k", metadata("orders:read", "orders:read"), usage, NOW, 30);

        assertThat(finding.evidence()).containsEntry("unusedScopes", List.of("orders:read"))
                .containsEntry("grant", List.of());
        assertThat(finding.summary()).contains("holds 1 registered scope and used none of them")
                .contains("revoke it");
    }

    @Test
    void watchedOneDayShortOfTheWindowIsNotEnough() {
        KeyScopeUsage usage = new KeyScopeUsage("k", TODAY.minusDays(29), Map.of("read", TODAY), false);

        assertThat(rule.check("k", metadata("read", "admin"), usage, NOW, 30)).isNull();
        assertThat(rule.check("k", metadata("read", "admin"), usage, NOW, 29)).isNotNull();
    }

    private static Map<String, LocalDate> full(LocalDate day) {
        Map<String, LocalDate> scopes = new HashMap<>();
        for (int i = 0; i < KeyScopeUsage.MAX_SCOPES; i++) {
            scopes.put(String.format("s%02d", i), day);
        }
        return scopes;
    }

    private static KeyMetadata metadata(String... scopes) {
        return new KeyMetadata("acme", "billing", List.of(scopes), null, null, null, null, null, null, null);
    }
}
