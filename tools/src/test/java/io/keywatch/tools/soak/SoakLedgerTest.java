package io.keywatch.tools.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.DeadLetter;
import io.keywatch.standalone.dlq.DeadLetterRecord;
import io.keywatch.standalone.dlq.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class SoakLedgerTest {

    private static final Map<Integer, long[]> CAUGHT_UP = Map.of(0, new long[] {103, 103});
    private static final Map<String, Long> NONE_SHOWN = Map.of("the API's alerts", 0L, "streams.log", 0L);

    /** 100 valid records (seq 0..99), then one hostile record of every kind (seq 100..). */
    private static SoakTraffic.Produced produced() {
        Map<HostileKind, Long> hostile = new EnumMap<>(HostileKind.class);
        Map<Long, HostileKind> bySeq = new HashMap<>();
        long seq = 100;
        for (HostileKind kind : HostileKind.values()) {
            hostile.put(kind, 1L);
            bySeq.put(seq++, kind);
        }
        Map<String, Long> byOrigin = new HashMap<>();
        for (long s = 100; s < seq; s++) {
            byOrigin.put("keywatch.usage-events-0@" + s, s);
        }
        Map<Long, String> incident = new HashMap<>();
        for (long s = 0; s < 10; s++) {
            incident.put(s, "soak-brute-force-0");
        }
        return new SoakTraffic.Produced("keywatch.usage-events", 100, 10, hostile, bySeq, byOrigin, List.of("sk_x"), 0,
                null, incident);
    }

    private static DeadLetterRecord dead(long seq, boolean withSeqHeader, String code) {
        return dead(seq, withSeqHeader, code, "keywatch.usage-events-0@" + seq);
    }

    private static DeadLetterRecord dead(long seq, boolean withSeqHeader, String code, String origin) {
        List<Header> headers = new ArrayList<>();
        if (withSeqHeader) {
            headers.add(new RecordHeader(SoakTraffic.SEQ_HEADER, Long.toString(seq).getBytes(StandardCharsets.UTF_8)));
        }
        headers.add(new RecordHeader(DeadLetter.REASON_HEADER, "bad".getBytes(StandardCharsets.UTF_8)));
        if (code != null) {
            headers.add(new RecordHeader(DeadLetter.REASON_CODE_HEADER, code.getBytes(StandardCharsets.UTF_8)));
        }
        headers.add(new RecordHeader(DeadLetter.ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8)));
        return new DeadLetterRecord(new Origin("keywatch.usage-events.dlq", 0, seq), Instant.EPOCH, null, null, headers);
    }

    /** The target: every kind expected dead-lettered is, exactly once, with a code. */
    private static List<DeadLetterRecord> target() {
        List<DeadLetterRecord> dead = new ArrayList<>();
        long seq = 100;
        for (HostileKind kind : HostileKind.values()) {
            if (kind.expectation() == HostileKind.Expectation.DEAD_LETTERED) {
                dead.add(dead(seq, true, kind.expectedCode().orElseThrow()));
            }
            seq++;
        }
        return dead;
    }

    private static SoakLedger ledger(List<DeadLetterRecord> dead, long secretAlerts) {
        return ledger(dead, secretAlerts, 10);
    }

    private static SoakLedger ledger(List<DeadLetterRecord> dead, long secretAlerts, long counted) {
        return SoakLedger.of(produced(), dead, List.of(new SoakLedger.IncidentCheck("BRUTE_FORCE", "k", "AUTH_FAILURE_BURST", 1)),
                Map.of("soak-brute-force-0", counted), secretAlerts, NONE_SHOWN, CAUGHT_UP, 0, 3, 1);
    }

    @Test
    void balancesWhenEveryHostileRecordIsWhereItBelongs() {
        SoakLedger ledger = ledger(target(), 1);

        assertThat(ledger.problems()).isEmpty();
        assertThat(ledger.producedTotal()).isEqualTo(100 + HostileKind.values().length);
        assertThat(ledger.processed() + ledger.deadLettered()).isEqualTo(ledger.producedTotal());
    }

    @Test
    void findsADuplicateAValidRecordDeadLetteredAMissingOneAndOneWithoutCode() {
        List<DeadLetterRecord> dead = new ArrayList<>(target());
        dead.add(dead.get(0));                   // dead-lettered twice
        dead.add(dead(7, false, "invalid-json")); // a valid record, found by its origin
        dead.remove(1);                          // a hostile record lost
        dead.add(dead(1, false, null, "elsewhere-0@1")); // no code, from no record the soak produced

        SoakLedger ledger = ledger(dead, 0);

        assertThat(ledger.balances()).isFalse();
        assertThat(ledger.problems()).anyMatch(p -> p.contains("1 record(s) dead-lettered more than once"))
                .anyMatch(p -> p.startsWith("1 valid record(s) dead-lettered, e.g. keywatch.usage-events-0@7"))
                .anyMatch(p -> p.startsWith(HostileKind.TIMESTAMP_OVERFLOW + ": 1 of 1 not dead-lettered"))
                .anyMatch(p -> p.equals("1 dead letter(s) without a reason code"))
                .anyMatch(p -> p.equals("1 dead letter(s) that match no produced record"))
                .anyMatch(p -> p.contains("no SECRET_IN_TELEMETRY alert"));
    }

    @Test
    void findsUnconsumedRecordsAndMissingOrRepeatedAlerts() {
        SoakLedger ledger = SoakLedger.of(produced(), target(), List.of(
                        new SoakLedger.IncidentCheck("BRUTE_FORCE", "a", "AUTH_FAILURE_BURST", 0),
                        new SoakLedger.IncidentCheck("KEY_IN_URL", "b", "KEY_IN_URL", 2)),
                Map.of(), 1, Map.of("the API's alerts", 0L, "the usage-events DLQ", 1L), Map.of(0, new long[] {90, 103}), 0, 3, 1);

        assertThat(ledger.problems()).containsExactlyInAnyOrder(
                "streams group committed offset 90 on partition 0 is not the log end 103",
                "1 of 1 secret(s) shown in clear in the usage-events DLQ",
                "BRUTE_FORCE on a: 0 AUTH_FAILURE_BURST alert(s) in the API, expected exactly 1",
                "KEY_IN_URL on b: 2 KEY_IN_URL alert(s) in the API, expected exactly 1");
    }

    @Test
    void findsAWrongReasonCodeAndACodeThatMeansKeywatchFailed() {
        List<DeadLetterRecord> dead = new ArrayList<>();
        long seq = 100;
        for (HostileKind kind : HostileKind.values()) {
            if (kind.expectation() == HostileKind.Expectation.DEAD_LETTERED) {
                String code = kind == HostileKind.NOT_JSON ? "processing-error"
                        : kind == HostileKind.UTF16_JSON ? "invalid-json" : kind.expectedCode().orElseThrow();
                dead.add(dead(seq, true, code));
            }
            seq++;
        }

        SoakLedger ledger = ledger(dead, 1);

        assertThat(ledger.wrongReasonCode()).containsOnlyKeys(HostileKind.NOT_JSON, HostileKind.UTF16_JSON);
        assertThat(ledger.failureCodes()).isEqualTo(1);
        assertThat(ledger.problems()).anyMatch(p -> p.startsWith("1 dead letter(s) with a code that means keywatch "
                        + "failed"))
                .anyMatch(p -> p.startsWith("2 hostile record(s) dead-lettered with an unexpected reason code, e.g. ")
                        && p.contains("UTF16_JSON as invalid-json"));
    }

    @Test
    void comparesAnIncidentKeysProducedEventsWithWhatTheTopologyCounted() {
        assertThat(ledger(target(), 1, 10).counts()).singleElement()
                .isEqualTo(new SoakLedger.CountCheck("soak-brute-force-0", 10, 0, 10));

        List<DeadLetterRecord> oneLate = new ArrayList<>(target());
        oneLate.add(dead(3, true, "late"));
        SoakLedger late = ledger(oneLate, 1, 9);
        assertThat(late.counts()).singleElement().satisfies(c -> assertThat(c.ok()).isTrue());

        assertThat(ledger(target(), 1, 11).problems()).contains(
                "incident key soak-brute-force-0: 10 event(s) produced, 0 dead-lettered, but the topology counted 11");
    }
}
