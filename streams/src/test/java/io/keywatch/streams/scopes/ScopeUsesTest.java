package io.keywatch.streams.scopes;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.KeyScopeUsage;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScopeUsesTest {

    private static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    @Test
    void aFirstUseStartsTheKeysRecord() {
        assertThat(ScopeUses.withUse(null, "k", "read", DAY))
                .isEqualTo(new KeyScopeUsage("k", DAY, Map.of("read", DAY), false));
    }

    @Test
    void aUseOnTheSameDayOrEarlierChangesNothingButALaterDayAdvancesTheScope() {
        KeyScopeUsage usage = new KeyScopeUsage("k", DAY, Map.of("read", DAY.plusDays(2)), false);

        assertThat(ScopeUses.withUse(usage, "k", "read", DAY.plusDays(2))).isSameAs(usage);
        assertThat(ScopeUses.withUse(usage, "k", "read", DAY.plusDays(1))).isSameAs(usage);
        assertThat(ScopeUses.withUse(usage, "k", "read", DAY.plusDays(3)).lastUsed())
                .containsExactly(Map.entry("read", DAY.plusDays(3)));
    }

    @Test
    void anOlderEventMovesTheFirstSeenDayBack() {
        KeyScopeUsage usage = new KeyScopeUsage("k", DAY, Map.of("read", DAY), false);

        KeyScopeUsage older = ScopeUses.withUse(usage, "k", "read", DAY.minusDays(1));

        assertThat(older.firstSeen()).isEqualTo(DAY.minusDays(1));
        assertThat(older.lastUsed()).containsEntry("read", DAY);
    }

    @Test
    void pastTheBoundTheLeastRecentlyUsedScopeGoesFirstByNameOnATie() {
        Map<String, LocalDate> full = new HashMap<>();
        for (int i = 0; i < KeyScopeUsage.MAX_SCOPES; i++) {
            full.put(String.format("s%02d", i), i < 2 ? DAY.minusDays(5) : DAY);
        }
        KeyScopeUsage usage = new KeyScopeUsage("k", DAY.minusDays(9), full, false);

        KeyScopeUsage added = ScopeUses.withUse(usage, "k", "new", DAY);

        assertThat(added.truncated()).isTrue();
        assertThat(added.lastUsed()).hasSize(KeyScopeUsage.MAX_SCOPES).containsKey("new").doesNotContainKey("s00")
                .containsKey("s01");
        KeyScopeUsage again = ScopeUses.withUse(added, "k", "newer", DAY);
        assertThat(again.lastUsed()).doesNotContainKeys("s00", "s01").containsKeys("new", "newer");
    }

    @Test
    void aNewScopeIsNotTakenInWhenEveryKeptScopeWasUsedThatDay() {
        Map<String, LocalDate> full = new HashMap<>();
        for (int i = 0; i < KeyScopeUsage.MAX_SCOPES; i++) {
            full.put(String.format("s%02d", i), DAY);
        }
        KeyScopeUsage usage = new KeyScopeUsage("k", DAY.minusDays(9), full, false);

        KeyScopeUsage refused = ScopeUses.withUse(usage, "k", "made-up-1", DAY);

        assertThat(refused.lastUsed()).isEqualTo(full);
        assertThat(refused.truncated()).isTrue();
        assertThat(ScopeUses.withUse(refused, "k", "made-up-2", DAY)).as("nothing more changes that day")
                .isSameAs(refused);
        assertThat(ScopeUses.withUse(refused, "k", "made-up-2", DAY.plusDays(1)).lastUsed())
                .containsKey("made-up-2").doesNotContainKey("s00");
    }

    @Test
    void anOldUseOfAScopeThatWouldBeDroppedAtOnceOnlySaysTruncated() {
        Map<String, LocalDate> full = new HashMap<>();
        for (int i = 0; i < KeyScopeUsage.MAX_SCOPES; i++) {
            full.put(String.format("s%02d", i), DAY);
        }
        KeyScopeUsage usage = new KeyScopeUsage("k", DAY.minusDays(9), full, false);

        KeyScopeUsage added = ScopeUses.withUse(usage, "k", "old", DAY.minusDays(3));

        assertThat(added.lastUsed()).isEqualTo(full);
        assertThat(added.truncated()).isTrue();
    }
}
