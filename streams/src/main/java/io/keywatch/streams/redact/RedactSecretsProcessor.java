package io.keywatch.streams.redact;

import io.keywatch.events.LogSampling;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.secrets.FingerprintKey;
import io.keywatch.events.secrets.SecretDetector;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology step right after parsing: replaces secrets in each event ({@link EventRedactor}) and, when the key id
 * was a secret, marks the record with the {@value #SECRET_FORMAT_HEADER} header naming its format, for the
 * SECRET_IN_TELEMETRY rule. The header travels with the record through the re-key topic. A header of that name on
 * an incoming record is dropped: only this step says a key id was redacted, so a publisher cannot forge the alert by
 * sending a key id that merely looks like a fingerprint.
 *
 * <p>The record key is left alone here: a record whose key is the secret now has a key id that differs from it, so
 * the topology's split sends it through the re-key topic under the fingerprint.
 */
public final class RedactSecretsProcessor implements FixedKeyProcessor<String, UsageEvent, UsageEvent> {

    /** Set by this step only: the format of the secret the event's key id was (e.g. {@code stripe-secret-key}). */
    public static final String SECRET_FORMAT_HEADER = "keywatch.secret-format";

    private static final Logger LOG = LoggerFactory.getLogger(RedactSecretsProcessor.class);

    private final EventRedactor redactor;
    /** For the record's own headers (a bearer token copied into a header ends up in the re-key topic or the DLQ). */
    private final DeadLetterRedactor headerRedactor;
    private FixedKeyProcessorContext<String, UsageEvent> context;
    private long redactedKeyIds;

    public RedactSecretsProcessor(FingerprintKey key) {
        this.redactor = new EventRedactor(key);
        this.headerRedactor = new DeadLetterRedactor(key);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, UsageEvent> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        EventRedactor.Redacted redacted = redactor.redact(record.value());
        boolean forged = record.headers().lastHeader(SECRET_FORMAT_HEADER) != null;
        boolean longHeader = hasHeaderLongEnoughForASecret(record.headers());
        if (!redacted.keyIdRedacted() && !forged && !longHeader) {
            // the hot path: no secret, no header to drop or scan
            context.forward(redacted.event() == record.value() ? record : record.withValue(redacted.event()));
            return;
        }
        // copy: the incoming headers may be shared with other branches of the topology
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.remove(SECRET_FORMAT_HEADER);
        if (longHeader) {
            headerRedactor.headers(headers);
        }
        if (redacted.keyIdRedacted()) {
            headers.add(SECRET_FORMAT_HEADER, redacted.keyIdFormat().label().getBytes(StandardCharsets.UTF_8));
            redactedKeyIds++;
            if (LogSampling.shouldLog(redactedKeyIds)) {
                // the fingerprint and the format only: never the value
                LOG.warn("service {} published a {} as a key id; stored as {} ({} so far by this task)",
                        printable(redacted.event().service()), redacted.keyIdFormat().label(), redacted.event().keyId(),
                        redactedKeyIds);
            }
        }
        context.forward(record.withValue(redacted.event()).withHeaders(headers));
    }

    private static boolean hasHeaderLongEnoughForASecret(Headers headers) {
        for (Header header : headers) {
            if (header.value() != null && header.value().length >= SecretDetector.MIN_LENGTH) {
                return true;
            }
        }
        return false;
    }

    /** The service name as a log may show it: control characters escaped, at most 64 characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 64; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > out.length() ? out.append('…').toString() : out.toString();
    }

    /** The format a record's {@value #SECRET_FORMAT_HEADER} header names, or null when it has none. */
    public static String secretFormat(Headers headers) {
        Header header = headers.lastHeader(SECRET_FORMAT_HEADER);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
