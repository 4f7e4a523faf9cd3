package io.keywatch.tools.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final ObjectMapper MAPPER = KeywatchJson.newMapper();
    private static final JsonSerde<UsageEvent> EVENTS = new JsonSerde<>(MAPPER, UsageEvent.class);
    private static final JsonSerde<KeyState> KEY_STATES = new JsonSerde<>(MAPPER, KeyState.class);

    @TempDir
    Path dir;

    @Test
    void flagsABruteForceBurstAtTheEventTimeThatCrossedTheThreshold() throws IOException {
        List<UsageEvent> events = bruteForceDay();
        Path file = writeEvents("events.jsonl", events);

        BacktestCli.Run run = backtest("--events", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<Alert> alerts = alerts(run.out());
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.rule()).isEqualTo(AlertRule.AUTH_FAILURE_BURST);
            assertThat(alert.severity()).isEqualTo(Severity.HIGH);
            assertThat(alert.keyId()).isEqualTo("key_bf");
            // the 20th INVALID_SECRET of the burst, which starts at 10:15:05 with one every 500 ms
            assertThat(alert.triggeredAt()).isEqualTo(T0.plusSeconds(15 * 60 + 5).plusMillis(19 * 500));
            assertThat(alert.windowStart()).isEqualTo(T0.plusSeconds(15 * 60));
            // the replay's clock follows event time: detected just as it was triggered
            assertThat(alert.detectedAt()).isBetween(alert.triggeredAt(), alert.triggeredAt().plusSeconds(1));
        });
        assertThat(run.out()).contains("\"triggeredAt\":\"2026-11-20T10:15:14.500Z\"");
        assertThat(run.err()).contains("replayed 50 events", "AUTH_FAILURE_BURST", "0 bad input lines");
    }

    @Test
    void theSameInputGivesTheSameBytes() throws IOException {
        Path file = writeEvents("events.jsonl", bruteForceDay());

        BacktestCli.Run first = backtest("--events", file.toString());
        BacktestCli.Run second = backtest("--events", file.toString());

        assertThat(first.out()).isNotEmpty().isEqualTo(second.out());
    }

    @Test
    void flagsAVolumeSpikeInARequestCountSeries() throws IOException {
        StringBuilder csv = new StringBuilder("timestamp,requests\n");
        Instant t = T0;
        for (int i = 0; i < 24; i++, t = t.plus(Duration.ofMinutes(5))) {
            csv.append(t).append(",50\n"); // 10 a minute for two hours
        }
        Instant spike = t;
        csv.append(spike).append(",1000\n"); // 20 times the usual five minutes
        csv.append(spike.plus(Duration.ofMinutes(5))).append(",50\n");
        csv.append(spike.plus(Duration.ofMinutes(10))).append(",50\n");
        Path file = Files.writeString(dir.resolve("counts.csv"), csv);

        BacktestCli.Run run = backtest("--counts", file.toString(), "--key", "key_gw");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<Alert> alerts = alerts(run.out());
        assertThat(alerts).isNotEmpty().allSatisfy(alert -> {
            assertThat(alert.rule()).isEqualTo(AlertRule.VOLUME_SPIKE);
            assertThat(alert.keyId()).isEqualTo("key_gw");
            assertThat(alert.triggeredAt()).isBetween(spike, spike.plus(Duration.ofMinutes(5)));
        });
        assertThat(alerts.get(0).windowStart()).isEqualTo(spike);
        assertThat(run.err()).contains("2,300 events", "VOLUME_SPIKE");
    }

    @Test
    void reportsBadLinesWithTheirNumbersAndCarriesOn() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(json(event("key_1", T0, AuthResult.OK)));
        lines.add("this is not json");
        lines.add(json(event("key_1", T0.plusSeconds(1), AuthResult.OK)));
        lines.add("{\"eventId\":\"e-4\",\"keyId\":\"key_1\"}");
        lines.add("");
        lines.add(json(event("key_1", T0.plusSeconds(2), AuthResult.OK)).replace("\"status\":200", "\"status\":\"200\""));
        lines.add(json(event("key_1", T0.plusSeconds(3), AuthResult.OK)));
        Path file = Files.write(dir.resolve("mixed.jsonl"), lines, StandardCharsets.UTF_8);

        BacktestCli.Run run = backtest("--events", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err())
                .contains(file + ":2: not valid JSON")
                .contains(file + ":4: missing required field 'timestamp'")
                .contains(file + ":6: field 'status' must be an integer")
                .doesNotContain(file + ":5:")
                .contains("replayed 3 events", "3 bad input lines skipped");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void usesTheRegistryAndTimesEachKeyStateChange() throws IOException {
        KeyMetadata metadata = new KeyMetadata("acme", "billing", List.of("billing:read"), T0.minus(Duration.ofDays(3)),
                null, 600, true, null, null, null);
        Instant revokedAt = T0.plus(Duration.ofMinutes(5));
        Path keys = Files.write(dir.resolve("keys.jsonl"), List.of(
                new String(KEY_STATES.toBytes(new KeyState("key_r", KeyStatus.ACTIVE, metadata.createdAt(), "registered",
                        "api:admin", metadata)), StandardCharsets.UTF_8),
                new String(KEY_STATES.toBytes(new KeyState("key_r", KeyStatus.REVOKED, revokedAt, "leaked",
                        "api:admin", metadata)), StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        Path events = writeEvents("events.jsonl", List.of(
                event("key_r", T0.plus(Duration.ofMinutes(2)), AuthResult.OK),
                event("key_r", T0.plus(Duration.ofMinutes(7)), AuthResult.OK)));

        BacktestCli.Run run = backtest("--events", events.toString(), "--keys", keys.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(alerts(run.out())).filteredOn(a -> a.rule() == AlertRule.REVOKED_KEY_USED).singleElement()
                .satisfies(a -> assertThat(a.triggeredAt()).isEqualTo(T0.plus(Duration.ofMinutes(7))));
        assertThat(run.err()).contains("2 key states fed");
    }

    @Test
    void envOverridesChangeTheThresholdsAndOutGoesToAFile() throws IOException {
        Path file = writeEvents("events.jsonl", bruteForceDay());
        Path out = dir.resolve("alerts.jsonl");

        BacktestCli.Run run = backtest("--events", file.toString(), "--out", out.toString(),
                "--env", "KEYWATCH_DETECT_AUTH_FAILURES_HIGH=10", "--env", "KEYWATCH_DETECT_AUTH_FAILURES_CRITICAL=25");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(alerts(Files.readString(out))).extracting(Alert::severity)
                .containsExactly(Severity.HIGH, Severity.CRITICAL);
        assertThat(run.err()).contains("2 alerts written to " + out);
    }

    @Test
    void sortReplaysAFileThatIsNotInTimeOrder() throws IOException {
        List<UsageEvent> events = new ArrayList<>(bruteForceDay());
        java.util.Collections.reverse(events);
        Path file = writeEvents("reversed.jsonl", events);

        BacktestCli.Run unsorted = backtest("--events", file.toString());
        BacktestCli.Run sorted = backtest("--events", file.toString(), "--sort");

        assertThat(unsorted.err()).contains("late events dead-lettered as late", "try --sort");
        assertThat(sorted.exitCode()).isZero();
        assertThat(alerts(sorted.out())).extracting(Alert::rule).containsExactly(AlertRule.AUTH_FAILURE_BURST);
    }

    @Test
    void badArgumentsAndFilesExitWithTwoAndSayWhy() throws IOException {
        assertThat(backtest()).satisfies(run -> {
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("give either --events FILE or --counts FILE");
        });
        Path csv = Files.writeString(dir.resolve("c.csv"), "2026-11-20T10:00:00Z,5\n");
        assertThat(backtest("--counts", csv.toString()).err()).contains("--counts needs --key");
        assertThat(backtest("--events", dir.resolve("missing.jsonl").toString()))
                .satisfies(run -> {
                    assertThat(run.exitCode()).isEqualTo(2);
                    assertThat(run.err()).contains("missing.jsonl", "no such file");
                });
        assertThat(backtest("--events", csv.toString(), "--env", "KEYWATCH_DETECT_VOLUME_FLOOR=lots"))
                .satisfies(run -> {
                    assertThat(run.exitCode()).isEqualTo(2);
                    assertThat(run.err()).contains("KEYWATCH_DETECT_VOLUME_FLOOR");
                });
        assertThat(backtest("--bogus").exitCode()).isEqualTo(2);
    }

    @Test
    void aBadCountSeriesIsRejectedWithLineNumbers() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), String.join("\n",
                "timestamp,value",
                "2026-11-20T10:00:00Z,50",
                "2026-11-20T10:05:00Z,-3",
                "yesterday,50",
                "2026-11-20T10:10:00Z,50,7",
                "2026-11-20T10:10:00Z,50",
                "2026-11-20T10:05:00Z,50") + "\n");

        BacktestCli.Run run = backtest("--counts", csv.toString(), "--key", "k");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("has 4 bad rows",
                csv + ":3: value '-3'", csv + ":4: timestamp 'yesterday'", csv + ":5: expected 2 fields",
                csv + ":7: timestamp 2026-11-20T10:05:00Z is not after 2026-11-20T10:10:00Z (line 6)");
    }

    @Test
    void aBadRegistryIsRejectedWithLineNumbers() throws IOException {
        Path keys = Files.writeString(dir.resolve("keys.jsonl"), "{\"keyId\":\"k\",\"status\":\"ACTIVE\"}\n");
        Path events = writeEvents("events.jsonl", List.of(event("k", T0, AuthResult.OK)));

        BacktestCli.Run run = backtest("--events", events.toString(), "--keys", keys.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(keys + ":1: not a key state");
    }

    /** Ten quiet minutes of a key, then 30 INVALID_SECRET in 15 s from 10:15:05, then quiet again. */
    private static List<UsageEvent> bruteForceDay() {
        List<UsageEvent> events = new ArrayList<>();
        for (int m = 0; m < 10; m++) {
            events.add(event("key_bf", T0.plus(Duration.ofMinutes(m)).plusSeconds(10), AuthResult.OK));
        }
        Instant burst = T0.plusSeconds(15 * 60 + 5);
        for (int i = 0; i < 30; i++) {
            events.add(event("key_bf", burst.plusMillis(500L * i), AuthResult.INVALID_SECRET));
        }
        for (int i = 0; i < 10; i++) {
            events.add(event("key_bf", T0.plus(Duration.ofMinutes(17 + i)), AuthResult.OK));
        }
        return events;
    }

    private static int ids;

    static UsageEvent event(String keyId, Instant at, AuthResult auth) {
        return UsageEvent.of("evt-" + (++ids) + "-" + at.toEpochMilli(), keyId, at, "billing", auth)
                .withRequest("GET", "/v1/invoices", auth == AuthResult.OK ? 200 : 401)
                .withClient("192.0.2.10", "DE", "curl/8.7.1");
    }

    private static String json(UsageEvent event) {
        return new String(EVENTS.toBytes(event), StandardCharsets.UTF_8);
    }

    private Path writeEvents(String name, List<UsageEvent> events) throws IOException {
        return Files.write(dir.resolve(name), events.stream().map(BacktestCommandTest::json).toList(),
                StandardCharsets.UTF_8);
    }

    static List<Alert> alerts(String jsonLines) throws IOException {
        List<Alert> alerts = new ArrayList<>();
        for (String line : jsonLines.split("\n")) {
            if (!line.isBlank()) {
                alerts.add(MAPPER.readValue(line, Alert.class));
            }
        }
        return alerts;
    }

    /**
     * Runs {@code keywatch-tools backtest}. The files here use keys that are not in any registry, which would add an
     * UNKNOWN_KEY alert per key and day to every output; that rule is tested on its own, so it is off here.
     */
    private static BacktestCli.Run backtest(String... args) {
        String[] all = java.util.Arrays.copyOf(new String[] {"backtest"}, args.length + 3);
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--env";
        all[args.length + 2] = "KEYWATCH_DETECT_DISABLED_RULES=UNKNOWN_KEY";
        return BacktestCli.run(all);
    }
}
