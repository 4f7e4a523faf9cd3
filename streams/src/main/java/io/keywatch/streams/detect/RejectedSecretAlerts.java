package io.keywatch.streams.detect;

import io.keywatch.events.Alert;
import io.keywatch.events.DeadLetter;
import io.keywatch.streams.parse.ParsedRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * SECRET_IN_TELEMETRY for a record the parser rejected but that held a secret (now a fingerprint in its dead letter):
 * the secret leaked all the same. No per-key state here: the alert's id (rule, fingerprint, UTC day of the record's
 * timestamp) lets the API fold repeats into the day's alert. Keyed by the fingerprint, like every alert of the rule.
 */
public final class RejectedSecretAlerts implements Processor<String, ParsedRecord, String, Alert> {

    private final SecretInTelemetryRule rule = new SecretInTelemetryRule();
    private final AlertFactory alerts = new AlertFactory();
    private ProcessorContext<String, Alert> context;

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, ParsedRecord> record) {
        String fingerprint = record.value().secretFingerprint();
        long now = context.currentSystemTimeMs();
        // the record's own timestamp is the producer's and may be anything: within reason, or now
        long at = record.timestamp() > 0 && record.timestamp() <= now ? record.timestamp() : now;
        long dayStart = Evidence.windowStart(at, Evidence.DAY_MS);
        Alert alert = alerts.create(rule.describeRejected(fingerprint, rejectCode(record), Instant.ofEpochMilli(at),
                        Evidence.instant(dayStart)), fingerprint, Instant.ofEpochMilli(dayStart),
                Instant.ofEpochMilli(dayStart + Evidence.DAY_MS), Instant.ofEpochMilli(at), Instant.ofEpochMilli(now),
                null);
        context.forward(new Record<>(fingerprint, alert, record.timestamp()));
    }

    private static String rejectCode(Record<String, ParsedRecord> record) {
        Header code = record.headers().lastHeader(DeadLetter.REASON_CODE_HEADER);
        return code == null ? "unknown" : new String(code.value(), StandardCharsets.UTF_8);
    }
}
