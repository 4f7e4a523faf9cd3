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

    @Test
    void theEdgeDayIsTheOneTheReportUses() {
        // watched since the day before the window's first day: enough; since its first day: not (KeyScopeWindow)
        LocalDate windowStart = TODAY.minusDays(29);
        KeyScopeUsage sinceBefore = new KeyScopeUsage("k", windowStart.minusDays(1), Map.of("read", windowStart),
                false);
        KeyScopeUsage sinceStart = new KeyScopeUsage("k", windowStart, Map.of("read", windowStart), false);

        Finding finding = rule.check("k", metadata("read", "admin"), sinceBefore, NOW, 30);
        assertThat(finding.evidence()).containsEntry("unusedScopes", List.of("admin"))
                .containsEntry("usedScopes", Map.of("read", windowStart.toString()))
                .containsEntry("windowStart", windowStart.toString());
        assertThat(rule.check("k", metadata("read", "admin"), sinceStart, NOW, 30)).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void usedButUnregisteredScopesAreListedApartAndNeverGrantedAndAMaybeUsedScopeStaysGranted() {
        Map<String, LocalDate> kept = new HashMap<>(Map.of("read", TODAY, "old", TODAY.minusDays(40),
                "made-up", TODAY.minusDays(2)));
        for (int i = 0; i < KeyScopeUsage.MAX_UNREGISTERED_SCOPES - 1; i++) {
            kept.put("junk-" + i, TODAY);
        }
        KeyScopeUsage usage = new KeyScopeUsage("k", TODAY.minusDays(90), kept, true);

        Finding finding = rule.check("k", metadata("read", "old", "missing"), usage, NOW, 30);

        assertThat(finding.evidence()).containsEntry("unusedScopes", List.of("old"))
                .containsEntry("grant", List.of("read", "missing"));
        assertThat((List<Object>) finding.evidence().get("usedUnregistered")).contains("made-up", "junk-0")
                .doesNotContain("read", "old");
    }

    private static Map<String, LocalDate> full(LocalDate day) {
        Map<String, LocalDate> scopes = new HashMap<>();
        for (int i = 0; i < KeyScopeUsage.MAX_UNREGISTERED_SCOPES; i++) {
            scopes.put(String.format("s%02d", i), day);
        }
        return scopes;
    }

    private static KeyMetadata metadata(String... scopes) {
        return new KeyMetadata("acme", "billing", List.of(scopes), null, null, null, null, null, null, null);
    }
}
