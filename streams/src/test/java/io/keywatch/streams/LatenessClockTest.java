package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.DeadLetter;
import io.keywatch.events.KeywatchJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lateness clock: it does not run ahead of the wall clock, and nothing is dropped by the usage store's retention. */
class LatenessClockTest {

    private static final ObjectMapper MAPPER = KeywatchJson.newMapper();

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void anEventStampedAheadOfTheClockDoesNotMakeTheCurrentEventsLate() {
        // within the future skew (an hour): accepted and counted
        fixture.send(fixture.event("key-f", T0.plus(Duration.ofMinutes(59))));
        for (int s = 0; s < 120; s += 10) {
            fixture.sendLater(fixture.event("key-f", T0.plusSeconds(s)));
        }

        assertThat(fixture.deadLetters.isEmpty()).as("no current event is late").isTrue();
        assertThat(fixture.usageAt("key-f", minute(0)).requests()).isEqualTo(6);
        assertThat(fixture.usageAt("key-f", minute(1)).requests()).isEqualTo(6);
        assertThat(fixture.usageAt("key-f", minute(59)).requests()).isEqualTo(1);
    }

    @Test
    void aFutureEventInABacklogDoesNotMakeTheBacklogLate() {
        // after an outage the task works off events minutes older than the wall clock: a future-stamped record among
        // them must not move the lateness clock to "now" (seen in a soak run: thousands of valid events dead-lettered)
        fixture.clock(T0.plus(Duration.ofMinutes(10)));
        for (int s = 0; s < 120; s += 10) {
            fixture.send(fixture.event("key-b", T0.plusSeconds(s)));
            if (s == 30) {
                fixture.send(fixture.event("key-b", T0.plus(Duration.ofMinutes(55))));
            }
        }

        assertThat(fixture.deadLetters.isEmpty()).as("no backlog event is late").isTrue();
        assertThat(fixture.usageAt("key-b", minute(0)).requests()).isEqualTo(6);
        assertThat(fixture.usageAt("key-b", minute(1)).requests()).isEqualTo(6);
    }

    @Test
    void freshReKeyedEventsDoNotMakeTheTasksUsageEventBacklogLate() throws Exception {
        // after a restart the task works off its backlog of usage events while other tasks already re-key fresh events
        // to it (a record keyed other than by its key id): each input has its own clock (seen in a soak run)
        fixture.clock(T0.plus(Duration.ofMinutes(10)));
        fixture.sendRaw("not-the-key-id", MAPPER.writeValueAsString(fixture.event("key-k", T0.plus(Duration.ofMinutes(5)))),
                T0.plus(Duration.ofMinutes(5)));
        for (int s = 0; s < 120; s += 10) {
            fixture.send(fixture.event("key-d", T0.plusSeconds(s)));
        }

        assertThat(fixture.deadLetters.isEmpty()).as("no backlog event is late").isTrue();
        assertThat(fixture.usageAt("key-k", minute(5)).requests()).isEqualTo(1);
        assertThat(fixture.usageAt("key-d", minute(0)).requests()).isEqualTo(6);
    }

    @Test
    void aReKeyedEventIsNotJudgedByTheUsageEventsClock() throws Exception {
        // the re-keying topic interleaves every upstream task's output, minutes apart after a restart: such an event is
        // only kept within the retention, not judged against a grace
        fixture.send(fixture.event("key-d", T0.plus(Duration.ofMinutes(5))));
        fixture.sendRaw("not-the-key-id", MAPPER.writeValueAsString(fixture.event("key-k", T0)), T0);

        assertThat(fixture.deadLetters.isEmpty()).as("the re-keyed event is counted").isTrue();
        assertThat(fixture.usageAt("key-k", minute(0)).requests()).isEqualTo(1);
    }

    @Test
    void anEventOlderThanTheUsageRetentionIsDeadLetteredNotDroppedByTheStore() {
        // the retention must cover the future skew plus a window and its grace (2 min >= 30 s + 1 min + 30 s)
        fixture.restart(Map.of("KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES", "2",
                "KEYWATCH_STREAMS_MAX_FUTURE_SKEW_SECONDS", "30"));
        // a task working off a backlog ten minutes behind the wall clock; a record stamped 20 s ahead of the clock
        // (within the skew) moves the usage store's time ten minutes past the backlog, beyond its retention, but
        // not the lateness clock
        fixture.clock(T0.plus(Duration.ofMinutes(10)));
        fixture.send(fixture.event("key-r", minute(10).plusSeconds(20)));
        fixture.send(fixture.event("key-r", T0.plusSeconds(5)));

        TestRecord<String, byte[]> dead = fixture.deadLetters.readRecord();
        assertThat(header(dead, DeadLetter.REASON_CODE_HEADER)).isEqualTo("late");
        // measured against the newest minute: the lateness clock has not moved past the event at all
        assertThat(header(dead, DeadLetter.REASON_HEADER)).contains("older than the usage store's retention")
                .contains("is 600000 ms behind the newest minute " + minute(10));
        assertThat(fixture.deadLetters.isEmpty()).isTrue();
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
