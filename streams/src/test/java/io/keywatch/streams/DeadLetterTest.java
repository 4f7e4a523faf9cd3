package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeadLetterTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void sendsNonJsonToTheDeadLetterTopicUnchangedWithReasonAndOriginThenContinues() {
        byte[] garbage = {'n', 'o', 't', ' ', 'j', 's', 'o', 'n', (byte) 0xff};
        fixture.usageEvents.pipeInput(new TestRecord<>("key-a", garbage,
                new RecordHeaders().add("trace-id", "abc".getBytes(StandardCharsets.UTF_8)), T0));
        fixture.send(fixture.event("key-a", T0.plusSeconds(1)));

        TestRecord<String, byte[]> dead = fixture.deadLetters.readRecord();
        assertThat(dead.key()).isEqualTo("key-a");
        assertThat(dead.value()).isEqualTo(garbage);
        assertThat(header(dead, DeadLetter.REASON_HEADER)).startsWith("not strict UTF-8");
        assertThat(header(dead, DeadLetter.REASON_CODE_HEADER)).isEqualTo("not-utf8");
        assertThat(header(dead, DeadLetter.ORIGIN_HEADER))
                .isEqualTo(fixture.settings.topics().usageEvents() + "-0@0");
        assertThat(header(dead, "trace-id")).isEqualTo("abc");
        assertThat(fixture.deadLetters.isEmpty()).isTrue();
        // the good record after the bad one was counted
        assertThat(fixture.usageAt("key-a", T0).requests()).isEqualTo(1);
    }

    @Test
    void namesTheMissingOrMistypedFieldInTheReason() {
        fixture.sendRaw("key-a", "{\"eventId\":\"e1\",\"timestamp\":\"2026-03-02T10:00:01Z\","
                + "\"service\":\"billing\",\"authResult\":\"OK\"}", T0);
        fixture.sendRaw("key-a", "{\"eventId\":\"e2\",\"keyId\":\"key-a\",\"timestamp\":\"2026-03-02T10:00:01Z\","
                + "\"service\":\"billing\",\"authResult\":\"OK\",\"status\":\"200\"}", T0);
        fixture.sendRaw(null, null, T0);

        TestRecord<String, byte[]> missing = fixture.deadLetters.readRecord();
        assertThat(header(missing, DeadLetter.REASON_HEADER)).contains("missing required field 'keyId'");
        assertThat(header(missing, DeadLetter.REASON_CODE_HEADER)).isEqualTo("missing-field");
        TestRecord<String, byte[]> wrongType = fixture.deadLetters.readRecord();
        assertThat(header(wrongType, DeadLetter.REASON_HEADER)).contains("'status' must be an integer");
        assertThat(header(wrongType, DeadLetter.REASON_CODE_HEADER)).isEqualTo("wrong-type");
        assertThat(new String(wrongType.value(), StandardCharsets.UTF_8)).contains("\"status\":\"200\"");
        TestRecord<String, byte[]> empty = fixture.deadLetters.readRecord();
        assertThat(empty.key()).isNull();
        assertThat(empty.value()).isNull();
        assertThat(header(empty, DeadLetter.REASON_HEADER)).isEqualTo("empty record value");
        assertThat(header(empty, DeadLetter.ORIGIN_HEADER)).endsWith("-0@2");
        assertThat(fixture.readAlerts()).isEmpty();
    }

    @Test
    void deadLettersEventsStampedFarInTheFuture() {
        fixture.send(fixture.event("key-a", T0.plus(Duration.ofHours(2))));
        fixture.send(fixture.event("key-a", T0.plusSeconds(5)));

        TestRecord<String, byte[]> future = fixture.deadLetters.readRecord();
        assertThat(header(future, DeadLetter.REASON_HEADER)).contains("ahead of the clock");
        assertThat(header(future, DeadLetter.REASON_CODE_HEADER)).isEqualTo("future");
        // the future event did not push stream time forward: the next normal event still counts
        assertThat(fixture.usageAt("key-a", T0).requests()).isEqualTo(1);
    }

    @Test
    void countsAnEventWithoutRecordKeyUnderItsKeyId() {
        var event = fixture.event("key-b", T0.plusSeconds(3));
        fixture.usageEvents.pipeInput(null, serialized(event), event.timestamp());

        assertThat(fixture.deadLetters.isEmpty()).isTrue();
        assertThat(fixture.usageAt("key-b", T0).requests()).isEqualTo(1);
    }

    @Test
    void trustsTheEventKeyIdOverADifferentRecordKey() {
        var event = fixture.event("key-c", T0.plusSeconds(3));
        fixture.usageEvents.pipeInput("some-other-key", serialized(event), event.timestamp());
        fixture.send(fixture.event("key-c", T0.plusSeconds(4)));

        assertThat(fixture.usageAt("key-c", T0).requests()).isEqualTo(2);
        assertThat(fixture.usageAt("some-other-key", T0)).isNull();
    }

    @Test
    void deadLettersEventsLaterThanTheGraceWithTheirLatenessButKeepsThoseWithinIt() {
        // each at its time on the wall clock: the lateness clock does not run ahead of it
        fixture.sendLater(fixture.event("key-d", minute(2).plusSeconds(10)));
        // minute 1 ended 10 s ago: within the 30 s grace
        fixture.sendLater(fixture.event("key-d", minute(1).plusSeconds(50)));
        fixture.sendLater(fixture.event("key-d", minute(2).plusSeconds(45)));
        // minute 1 ended 45 s ago: beyond the grace
        var late = fixture.event("key-d", minute(1).plusSeconds(55));
        fixture.sendLater(late);

        assertThat(fixture.usageAt("key-d", minute(1)).requests()).isEqualTo(1);
        assertThat(fixture.usageAt("key-d", minute(2)).requests()).isEqualTo(2);
        TestRecord<String, byte[]> dead = fixture.deadLetters.readRecord();
        assertThat(dead.key()).isEqualTo("key-d");
        assertThat(header(dead, DeadLetter.REASON_CODE_HEADER)).isEqualTo("late");
        assertThat(header(dead, DeadLetter.REASON_HEADER))
                .contains("is 50000 ms behind the newest event time " + minute(2).plusSeconds(45))
                .contains("grace of 30000 ms");
        assertThat(header(dead, DeadLetter.ORIGIN_HEADER)).isEqualTo(fixture.settings.topics().usageEvents() + "-0@3");
        // the value is the event, re-serialized: it parses back to the same event, so it can be replayed
        assertThat(new io.keywatch.events.UsageEventParser().parse(dead.value()))
                .isEqualTo(new io.keywatch.events.UsageEventParser.Valid(late));
        assertThat(fixture.deadLetters.isEmpty()).isTrue();
    }

    private static byte[] serialized(io.keywatch.events.UsageEvent event) {
        return new io.keywatch.events.JsonSerde<>(io.keywatch.events.UsageEvent.class).toBytes(event);
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
