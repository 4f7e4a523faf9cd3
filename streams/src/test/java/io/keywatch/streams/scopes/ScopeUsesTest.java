package io.keywatch.streams.scopes;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.KeyScopeUsage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeUsesTest {

    private static final LocalDate DAY = LocalDate.of(2026, 3, 2);
    private static final Set<String> REGISTERED = Set.of("read", "write");

    @Test
    void aFirstUseStartsTheKeysRecord() {
        assertThat(ScopeUses.withUse(null, "k", "read", DAY, REGISTERED))
                .isEqualTo(new KeyScopeUsage("k", DAY, Map.of("read", DAY), false));
    }

    @Test
    void aUseOnTheSameDayOrEarlierChangesNothingButALaterDayAdvancesTheScope() {
        KeyScopeUsage usage = new KeyScopeUsage("k", DAY, Map.of("read", DAY.plusDays(2)), false);

        assertThat(ScopeUses.withUse(usage, "k", "read", DAY.plusDays(2), REGISTERED)).isSameAs(usage);
        assertThat(ScopeUses.withUse(usage, "k", "read", DAY.plusDays(1), REGISTERED)).isSameAs(usage);
        assertThat(ScopeUses.withUse(usage, "k", "read", DAY.plusDays(3), REGISTERED).lastUsed())
                .containsExactly(Map.entry("read", DAY.plusDays(3)));
    }

    @Test
    void anOlderEventMovesTheFirstSeenDayBack() {
        KeyScopeUsage usage = new KeyScopeUsage("k", DAY, Map.of("read", DAY), false);

        KeyScopeUsage older = ScopeUses.withUse(usage, "k", "read", DAY.minusDays(1), REGISTERED);

        assertThat(older.firstSeen()).isEqualTo(DAY.minusDays(1));
        assertThat(older.lastUsed()).containsEntry("read", DAY);
    }

    @Test
    void madeUpScopesThatSortAfterTheRealOnesNeverEvictARegisteredScope() {
        // the attack: at 00:00 UTC, made-up scopes used the same day as the real one, sorting after its name
        KeyScopeUsage usage = ScopeUses.withUse(null, "k", "read", DAY, REGISTERED);
        for (int i = 0; i < 500; i++) {
            usage = ScopeUses.withUse(usage, "k", "zz-made-up-" + i, DAY, REGISTERED);
        }
        usage = ScopeUses.withUse(usage, "k", "write", DAY, REGISTERED);

        assertThat(usage.lastUsed()).containsEntry("read", DAY).containsEntry("write", DAY)
                .hasSize(2 + KeyScopeUsage.MAX_UNREGISTERED_SCOPES);
        assertThat(usage.truncated()).isTrue();
        // and on later days too: made-up scopes only ever displace each other
        for (int i = 0; i < 100; i++) {
            usage = ScopeUses.withUse(usage, "k", "zz-later-" + i, DAY.plusDays(1 + i % 3), REGISTERED);
        }
        assertThat(usage.lastUsed()).containsEntry("read", DAY).containsEntry("write", DAY);
    }

    @Test
    void pastTheUnregisteredRoomTheLeastRecentlyUsedUnregisteredScopeGoesFirstByNameOnATie() {
        Map<String, LocalDate> full = new HashMap<>();
        full.put("read", DAY.minusDays(20)); // registered and older than all: stays
        for (int i = 0; i < KeyScopeUsage.MAX_UNREGISTERED_SCOPES; i++) {
            full.put(String.format("s%02d", i), i < 2 ? DAY.minusDays(5) : DAY);
        }
        KeyScopeUsage usage = new KeyScopeUsage("k", DAY.minusDays(30), full, false);

        KeyScopeUsage added = ScopeUses.withUse(usage, "k", "new", DAY, REGISTERED);

        assertThat(added.truncated()).isTrue();
        assertThat(added.lastUsed()).hasSize(full.size()).containsKeys("new", "read", "s01").doesNotContainKey("s00");
        KeyScopeUsage again = ScopeUses.withUse(added, "k", "newer", DAY, REGISTERED);
        assertThat(again.lastUsed()).doesNotContainKeys("s00", "s01").containsKeys("new", "newer", "read");
    }

    @Test
    void aNewUnregisteredScopeIsNotTakenInWhenEveryKeptUnregisteredScopeWasUsedThatDay() {
        Map<String, LocalDate> full = new HashMap<>();
        for (int i = 0; i < KeyScopeUsage.MAX_UNREGISTERED_SCOPES; i++) {
            full.put(String.format("s%02d", i), DAY);
        }
        KeyScopeUsage usage = new KeyScopeUsage("k", DAY.minusDays(9), full, false);

        KeyScopeUsage refused = ScopeUses.withUse(usage, "k", "made-up-1", DAY, REGISTERED);

        assertThat(refused.lastUsed()).isEqualTo(full);
        assertThat(refused.truncated()).isTrue();
        assertThat(ScopeUses.withUse(refused, "k", "made-up-2", DAY, REGISTERED)).as("nothing more changes that day")
                .isSameAs(refused);
        assertThat(ScopeUses.withUse(refused, "k", "made-up-2", DAY.plusDays(1), REGISTERED).lastUsed())
                .containsKey("made-up-2").doesNotContainKey("s00");
        assertThat(ScopeUses.withUse(refused, "k", "read", DAY, REGISTERED).lastUsed())
                .as("a registered scope always has room").containsKey("read").hasSize(full.size() + 1);
    }

    @Test
    void anOldUseOfAScopeThatWouldBeDroppedAtOnceOnlySaysTruncated() {
        Map<String, LocalDate> full = new HashMap<>();
        for (int i = 0; i < KeyScopeUsage.MAX_UNREGISTERED_SCOPES; i++) {
            full.put(String.format("s%02d", i), DAY);
        }
        KeyScopeUsage usage = new KeyScopeUsage("k", DAY.minusDays(9), full, false);

        KeyScopeUsage added = ScopeUses.withUse(usage, "k", "old", DAY.minusDays(3), REGISTERED);

        assertThat(added.lastUsed()).isEqualTo(full);
        assertThat(added.truncated()).isTrue();
    }

    @Test
    void aRegistryThatShrankStillKeepsTheRecordWithinItsBound() {
        List<String> many = new ArrayList<>();
        Map<String, LocalDate> full = new HashMap<>();
        for (int i = 0; i < KeyScopeUsage.MAX_SCOPES; i++) {
            full.put(String.format("s%03d", i), DAY.minusDays(i % 7));
            many.add(String.format("s%03d", i));
        }
        KeyScopeUsage usage = new KeyScopeUsage("k", DAY.minusDays(9), full, false);

        KeyScopeUsage added = ScopeUses.withUse(usage, "k", "read", DAY, REGISTERED);

        assertThat(added.lastUsed()).hasSize(KeyScopeUsage.MAX_SCOPES).containsKey("read");
        assertThat(ScopeUses.tracked(many)).hasSize(KeyScopeUsage.MAX_REGISTERED_SCOPES);
    }
}
