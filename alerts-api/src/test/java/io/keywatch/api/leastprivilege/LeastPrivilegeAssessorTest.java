package io.keywatch.api.leastprivilege;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.KeyMetadata;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastPrivilegeAssessorTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

    private static KeyMetadata scopes(String... scopes) {
        return new KeyMetadata("team", "svc", scopes.length == 0 ? null : List.of(scopes), null, null, null, null,
                null, null, null);
    }

    private static ScopeObservation seen(LocalDate firstSeen, Map<String, LocalDate> lastUsed) {
        return new ScopeObservation("k", firstSeen, false, lastUsed);
    }

    @Test
    void theWindowIsTheLastDaysTodayIncluded() {
        assertThat(LeastPrivilegeAssessor.windowStart(TODAY, 1)).isEqualTo(TODAY);
        assertThat(LeastPrivilegeAssessor.windowStart(TODAY, 30)).isEqualTo(TODAY.minusDays(29));
        // used on the window's first day: used; the day before: not
        KeyMetadata metadata = scopes("a", "b");
        ScopeObservation observation = seen(TODAY.minusDays(100), Map.of("a", TODAY.minusDays(29),
                "b", TODAY.minusDays(30)));
        LeastPrivilegeItem item = LeastPrivilegeAssessor.assess("k", metadata, observation, TODAY, 30);
        assertThat(item.verdict()).isEqualTo(Verdict.OVERPRIVILEGED);
        assertThat(item.unusedScopes()).containsExactly("b");
        assertThat(item.suggestedScopes()).containsExactly("a");
    }

    @Test
    void historyMustCoverTheWholeWindow() {
        KeyMetadata metadata = scopes("a", "b");
        Map<String, LocalDate> used = Map.of("a", TODAY);
        // the edge day KEY_OVERPRIVILEGED uses too (KeyScopeWindow): watched since before the window's first day
        assertThat(LeastPrivilegeAssessor.assess("k", metadata, seen(TODAY.minusDays(30), used), TODAY, 30).verdict())
                .isEqualTo(Verdict.OVERPRIVILEGED);
        LeastPrivilegeItem young = LeastPrivilegeAssessor.assess("k", metadata, seen(TODAY.minusDays(29), used),
                TODAY, 30);
        assertThat(young.verdict()).isEqualTo(Verdict.NOT_ENOUGH_HISTORY);
        assertThat(young.unusedScopes()).isEmpty();
        assertThat(young.suggestedScopes()).containsExactly("a", "b");
    }

    @Test
    void eachVerdict() {
        assertThat(LeastPrivilegeAssessor.assess("k", scopes(), seen(TODAY.minusDays(90), Map.of("a", TODAY)),
                TODAY, 30).verdict()).isEqualTo(Verdict.NO_SCOPES_REGISTERED);
        LeastPrivilegeItem never = LeastPrivilegeAssessor.assess("k", scopes("a"), null, TODAY, 30);
        assertThat(never.verdict()).isEqualTo(Verdict.NEVER_SEEN);
        assertThat(never.observedSince()).isNull();
        LeastPrivilegeItem tight = LeastPrivilegeAssessor.assess("k", scopes("a", "a"),
                seen(TODAY.minusDays(90), Map.of("a", TODAY, "unregistered", TODAY)), TODAY, 30);
        assertThat(tight.verdict()).isEqualTo(Verdict.LEAST_PRIVILEGE);
        assertThat(tight.registeredScopes()).containsExactly("a");
        assertThat(tight.usedScopes()).extracting(ScopeUse::scope).containsExactly("a", "unregistered");
    }

    @Test
    void aKeyThatUsedNoneOfItsScopesIsToldToKeepNone() {
        LeastPrivilegeItem idle = LeastPrivilegeAssessor.assess("k", scopes("a", "b"),
                seen(TODAY.minusDays(90), Map.of()), TODAY, 30);
        assertThat(idle.verdict()).isEqualTo(Verdict.OVERPRIVILEGED);
        assertThat(idle.unusedScopes()).containsExactly("a", "b");
        assertThat(idle.suggestedScopes()).isEmpty();
    }

    @Test
    void aTruncatedRecordProvesAMissingScopeUnusedOnlyWhenItsOldestKeptUnregisteredScopeIsBeforeTheWindow() {
        KeyMetadata metadata = scopes("a", "b");
        LeastPrivilegeItem recent = LeastPrivilegeAssessor.assess("k", metadata, new ScopeObservation("k",
                TODAY.minusDays(90), true, Map.of("a", TODAY, "junk", TODAY.minusDays(3))), TODAY, 30);
        assertThat(recent.verdict()).isEqualTo(Verdict.LEAST_PRIVILEGE);
        assertThat(recent.suggestedScopes()).containsExactly("a", "b");
        assertThat(recent.usedUnregistered()).containsExactly("junk");

        LeastPrivilegeItem old = LeastPrivilegeAssessor.assess("k", metadata, new ScopeObservation("k",
                TODAY.minusDays(90), true, Map.of("a", TODAY, "junk", TODAY.minusDays(40))), TODAY, 30);
        assertThat(old.verdict()).isEqualTo(Verdict.OVERPRIVILEGED);
        assertThat(old.unusedScopes()).containsExactly("b");
        assertThat(old.suggestedScopes()).containsExactly("a");
        assertThat(old.usedUnregistered()).as("used before the window: not listed").isEmpty();
    }

    @Test
    void theDefaultWindowIsASetting() {
        assertThat(LeastPrivilegeSettings.fromEnv(Map.of()).defaultDays()).isEqualTo(30);
        assertThat(LeastPrivilegeSettings.fromEnv(Map.of("KEYWATCH_LEAST_PRIVILEGE_DAYS", "90")).defaultDays())
                .isEqualTo(90);
        assertThatThrownBy(() -> LeastPrivilegeSettings.fromEnv(Map.of("KEYWATCH_LEAST_PRIVILEGE_DAYS", "0")))
                .hasMessageContaining("KEYWATCH_LEAST_PRIVILEGE_DAYS");
        assertThatThrownBy(() -> LeastPrivilegeSettings.fromEnv(Map.of("KEYWATCH_LEAST_PRIVILEGE_DAYS", "a year")))
                .hasMessageContaining("KEYWATCH_LEAST_PRIVILEGE_DAYS");
    }
}
