package io.keywatch.streams.parse;

import io.keywatch.events.LogSampling;
import io.keywatch.events.RejectCode;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.UsageEventParser;
import io.keywatch.events.secrets.FingerprintKey;
import io.keywatch.events.secrets.SecretFingerprinter;
import io.keywatch.streams.errors.DeadLetterHeaders;
import io.keywatch.streams.metrics.TopologyMetrics;
import io.keywatch.streams.redact.DeadLetterRedactor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses raw usage events. A valid event continues with its event time as the record timestamp (so windows follow
 * event time); a record that cannot be used is passed on as rejected, with the reason and origin in its headers, and
 * with any secret in its key or value replaced by its fingerprint ({@link DeadLetterRedactor}): a rejected record
 * never reached the redact-secrets step.
 */
public final class ParseUsageEventProcessor implements FixedKeyProcessor<String, byte[], ParsedRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(ParseUsageEventProcessor.class);

    private final UsageEventParser parser;
    private final long maxFutureSkewMs;
    private final DeadLetterRedactor redactor;
    private final TopologyMetrics metrics;
    private FixedKeyProcessorContext<String, ParsedRecord> context;
    private long rejectedCount;

    public ParseUsageEventProcessor(UsageEventParser parser, Duration maxFutureSkew, FingerprintKey fingerprintKey) {
        this(parser, maxFutureSkew, fingerprintKey, TopologyMetrics.none());
    }

    public ParseUsageEventProcessor(UsageEventParser parser, Duration maxFutureSkew, FingerprintKey fingerprintKey,
                                    TopologyMetrics metrics) {
        this.parser = parser;
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
        this.redactor = new DeadLetterRedactor(fingerprintKey);
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ParsedRecord> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        metrics.eventRead();
        UsageEventParser.Result result = parser.parse(record.value());
        if (result instanceof UsageEventParser.Invalid invalid) {
            reject(record, invalid.code(), invalid.reason());
            return;
        }
        UsageEvent event = ((UsageEventParser.Valid) result).event();
        // the parser bounds event times to 2000..2100, so this cannot overflow
        long eventTime = event.timestamp().toEpochMilli();
        long now = context.currentSystemTimeMs();
        // one event stamped far in the future would advance stream time and make every later event "late";
        // saturating, so that no clock value can overflow the sum
        long latestAccepted = now > Long.MAX_VALUE - maxFutureSkewMs ? Long.MAX_VALUE : now + maxFutureSkewMs;
        if (eventTime > latestAccepted) {
            reject(record, RejectCode.FUTURE, "field 'timestamp' " + event.timestamp() + " is more than "
                    + Duration.ofMillis(maxFutureSkewMs) + " ahead of the clock (" + Instant.ofEpochMilli(now) + ")");
            return;
        }
        context.forward(record.withValue(ParsedRecord.valid(event)).withTimestamp(eventTime));
    }

    private void reject(FixedKeyRecord<String, byte[]> record, RejectCode code, String reason) {
        String origin = context.recordMetadata().map(ParseUsageEventProcessor::origin).orElse("unknown");
        rejectedCount++;
        metrics.deadLettered(code);
        // the DLQ is where the reasons are read; the log only samples them so a broken producer cannot flood it
        if (LogSampling.shouldLog(rejectedCount)) {
            LOG.warn("dead-lettered usage event from {} ({} so far by this task): {}: {}", origin, rejectedCount, code,
                    reason);
        }
        // bounded, so that the dead-letter record can be sent (the topology leaves an oversized key out)
        reason += DeadLetterHeaders.leftOut(record.key(), record.value());
        String boundedKey = DeadLetterHeaders.key(record.key());
        byte[] boundedValue = DeadLetterHeaders.value(record.value());
        String key = redactor.key(boundedKey);
        byte[] value = redactor.value(boundedValue);
        if (value == null && boundedValue != null) {
            reason += DeadLetterRedactor.VALUE_LEFT_OUT;
        }
        Headers headers = DeadLetterHeaders.of(record.headers(), code, reason, origin);
        boolean copiedHeaders = redactor.headers(headers);
        DeadLetterRedactor.mark(headers, key != boundedKey, value != boundedValue, copiedHeaders);
        // a secret in it still says that the secret leaked: the fingerprint it became names it for the alert
        String fingerprint = key != boundedKey ? SecretFingerprinter.find(key)
                : value != boundedValue && value != null
                ? SecretFingerprinter.find(new String(value, StandardCharsets.ISO_8859_1)) : null;
        context.forward(record.withValue(ParsedRecord.rejected(key, value, fingerprint)).withHeaders(headers));
    }

    private static String origin(RecordMetadata metadata) {
        return DeadLetterHeaders.origin(metadata.topic(), metadata.partition(), metadata.offset());
    }
}
