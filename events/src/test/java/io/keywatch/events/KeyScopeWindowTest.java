package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyScopeWindowTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 6, 10);

    @Test
    void theWindowIsTheLastDaysTodayIncludedAndWatchingItWholeMeansSinceTheDayBefore() {
        assertThat(KeyScopeWindow.start(TODAY, 30)).isEqualTo(LocalDate.of(2026, 5, 12));
        assertThat(KeyScopeWindow.watchedWholeWindow(LocalDate.of(2026, 5, 11), TODAY, 30)).isTrue();
        assertThat(KeyScopeWindow.watchedWholeWindow(LocalDate.of(2026, 5, 12), TODAY, 30)).isFalse();
        assertThat(KeyScopeWindow.usedInWindow(LocalDate.of(2026, 5, 12), TODAY, 30)).isTrue();
        assertThat(KeyScopeWindow.usedInWindow(LocalDate.of(2026, 5, 11), TODAY, 30)).isFalse();
        assertThat(KeyScopeWindow.usedInWindow(null, TODAY, 30)).isFalse();
    }

    @Test
    void aTruncatedRecordProvesAMissingScopeUnusedOnlyByItsOldestKeptUnregisteredScope() {
        Map<String, LocalDate> kept = Map.of("read", TODAY.minusDays(60), "junk", TODAY);
        assertThat(KeyScopeWindow.missingMeansUnused(false, kept, Set.of("read"), TODAY, 30)).isTrue();
        // the registered scope's old day says nothing of what was dropped: the made-up one kept today does
        assertThat(KeyScopeWindow.missingMeansUnused(true, kept, Set.of("read"), TODAY, 30)).isFalse();
        assertThat(KeyScopeWindow.missingMeansUnused(true, Map.of("read", TODAY, "junk", TODAY.minusDays(30)),
                Set.of("read"), TODAY, 30)).isTrue();
        assertThat(KeyScopeWindow.missingMeansUnused(true, Map.of("read", TODAY), Set.of("read"), TODAY, 30))
                .isFalse();
    }

    @Test
    void theNewestDayIsTheLatestOfAllTheRecordsDays() {
        assertThat(new KeyScopeUsage("k", TODAY.minusDays(5), Map.of("a", TODAY.minusDays(2), "b", TODAY.minusDays(4)),
                false).newestDay()).isEqualTo(TODAY.minusDays(2));
    }
}
