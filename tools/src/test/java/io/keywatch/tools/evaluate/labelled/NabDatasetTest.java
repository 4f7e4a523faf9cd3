package io.keywatch.tools.evaluate.labelled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bundled public series load, with their 40 windows, and the held-out split is the one fixed before tuning. */
class NabDatasetTest {

    /** The bundle, from the module's folder (where Maven runs the tests). */
    static final Path BUNDLE = Path.of("..", NabDataset.DEFAULT_DIR);

    /** Fixed on 2026-12-06, before any tuning: changing it invalidates every comparison with the held-out figures. */
    private static final Set<String> HELD_OUT = Set.of(
            "realTweets/Twitter_volume_CRM.csv",
            "realAWSCloudwatch/elb_request_count_8c0756.csv",
            "realTweets/Twitter_volume_AMZN.csv",
            "realTweets/Twitter_volume_UPS.csv");

    @Test
    void loadsTwelveSeriesWithFortyWindowsEachInsideItsSeries() {
        List<LabelledSeries> all = NabDataset.load(BUNDLE);

        assertThat(all).hasSize(12);
        assertThat(all.stream().mapToInt(s -> s.windows().size()).sum()).isEqualTo(40);
        assertThat(all).extracting(LabelledSeries::name).filteredOn(n -> n.startsWith("realTweets/")).hasSize(10);
        for (LabelledSeries series : all) {
            var rows = series.series().rows();
            assertThat(series.windows()).as(series.name()).isNotEmpty().allSatisfy(w -> {
                assertThat(w.start()).isAfterOrEqualTo(rows.get(0).start());
                assertThat(w.end()).isBeforeOrEqualTo(rows.get(rows.size() - 1).start());
            });
            assertThat(series.keyHours()).as(series.name()).isGreaterThan(300);
        }
        assertThat(Files.exists(BUNDLE.resolve("LICENSE.txt"))).isTrue();
    }

    @Test
    void theHeldOutGroupIsTheFourSeriesWhoseNamesSha256SortsLast() {
        List<LabelledSeries> all = NabDataset.load(BUNDLE);

        assertThat(all.stream().filter(LabelledSeries::heldOut).map(LabelledSeries::name))
                .containsExactlyInAnyOrderElementsOf(HELD_OUT);
        assertThat(all.stream().filter(LabelledSeries::heldOut).mapToInt(s -> s.windows().size()).sum()).isEqualTo(14);
        // a function of the names alone: the same whatever the order or the folder they come from
        List<String> names = all.stream().map(LabelledSeries::name).toList();
        assertThat(NabDataset.heldOut(reversed(names))).isEqualTo(HELD_OUT);
        assertThat(NabDataset.sha256("realTweets/Twitter_volume_UPS.csv")).startsWith("f40b50e83818");
    }

    @Test
    void nycTaxiIsScaledDownAndTheOtherSeriesAreReplayedAsTheyAre() {
        List<LabelledSeries> all = NabDataset.load(BUNDLE);
        LabelledSeries taxi = all.stream().filter(s -> s.name().equals("realKnownCause/nyc_taxi.csv")).findFirst()
                .orElseThrow();
        LabelledSeries aapl = all.stream().filter(s -> s.name().equals("realTweets/Twitter_volume_AAPL.csv"))
                .findFirst().orElseThrow();

        assertThat(taxi.divisor()).isEqualTo(100);
        // 156,219,716 passengers in NAB's file; each 30-minute count divided by 100 and rounded
        assertThat(taxi.series().totalRequests()).isBetween(1_562_197L - 10_320, 1_562_197L + 10_320);
        assertThat(taxi.series().rows().get(0).requests()).isEqualTo(108); // 10,844 / 100
        assertThat(aapl.divisor()).isEqualTo(1);
        assertThat(aapl.series().totalRequests()).isEqualTo(1_360_453L);
        assertThat(aapl.series().keyId()).isEqualTo("nab_twitter_volume_aapl");
    }


    @Test
    void aWindowsFileNamingAPathOutsideTheFolderIsRefused(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        for (String name : List.of("../outside.csv", "/etc/passwd", "a/../../b.csv")) {
            Files.writeString(dir.resolve("windows.csv"), "series,start,end\n" + name
                    + ",2015-03-01T00:00:00Z,2015-03-02T00:00:00Z\n");

            assertThatThrownBy(() -> NabDataset.load(dir)).as(name)
                    .isInstanceOf(io.keywatch.tools.backtest.InputException.class)
                    .hasMessageContaining("a series is a relative path");
        }
    }

    private static List<String> reversed(List<String> names) {
        List<String> copy = new java.util.ArrayList<>(names);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
