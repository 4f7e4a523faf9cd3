package io.keywatch.streams.redact;

import io.keywatch.events.DeadLetter;
import io.keywatch.events.secrets.FingerprintKey;
import io.keywatch.events.secrets.SecretDetector;
import io.keywatch.events.secrets.SecretFingerprinter;
import io.keywatch.events.secrets.SecretFormat;
import io.keywatch.events.secrets.SecretText;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * Takes the secrets out of a record bound for a dead-letter topic: keywatch stores no secret in clear, not even to
 * keep a record exactly as it arrived. A record key that is or holds a secret becomes the secret's fingerprint (as a
 * key id does, so a replayed record still groups with its key); in the value, each secret token (as a whole, or
 * between spaces, quotes, JSON punctuation, see {@link SecretText}) becomes its fingerprint in place, the rest byte
 * for byte as it was. The record then carries {@value DeadLetter#REDACTED_HEADER} naming what changed.
 *
 * <p>The value is scanned as ISO-8859-1, one character per byte: the secret formats are ASCII, and bytes that are not
 * UTF-8 (a value rejected for that) come back unchanged. Not thread-safe (the fingerprinter keeps a {@code Mac}).
 */
public final class DeadLetterRedactor {

    /**
     * The configuration entry that hands the service's {@link FingerprintKey} to the exception handlers (Kafka Streams
     * creates them itself); without it they fingerprint under a random key of their own.
     */
    public static final String CONFIG = "keywatch.dead-letter.fingerprint-key";

    private final SecretText secrets = new SecretText(new SecretDetector());
    private final SecretFingerprinter fingerprinter;

    public DeadLetterRedactor(FingerprintKey key) {
        this.fingerprinter = new SecretFingerprinter(key);
    }

    /** A redactor under the key the configuration carries ({@link #CONFIG}), or a random one. */
    public static DeadLetterRedactor from(Map<String, ?> configs) {
        return new DeadLetterRedactor(configs.get(CONFIG) instanceof FingerprintKey key ? key : FingerprintKey.random());
    }

    /** The key, or its fingerprint when it is or holds a secret; the same instance when it holds none. */
    public String key(String key) {
        SecretFormat format = secrets.firstSecret(key);
        return format == null ? key : fingerprinter.fingerprint(format, key);
    }

    /** {@link #key(String)} of a raw key (UTF-8); the same instance when it holds no secret. */
    public byte[] key(byte[] key) {
        if (key == null || key.length < SecretDetector.MIN_LENGTH) {
            return key;
        }
        String text = new String(key, StandardCharsets.UTF_8);
        String redacted = key(text);
        return redacted == text ? key : redacted.getBytes(StandardCharsets.UTF_8);
    }

    /** The value with each secret token replaced by its fingerprint; the same instance when it holds none. */
    public byte[] value(byte[] value) {
        if (value == null || value.length < SecretDetector.MIN_LENGTH) {
            return value;
        }
        String text = new String(value, StandardCharsets.ISO_8859_1);
        String redacted = secrets.redact(text, fingerprinter::fingerprint);
        return redacted == text ? value : redacted.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Adds {@value DeadLetter#REDACTED_HEADER} ({@code key}, {@code value} or {@code key,value}) when the key or the
     * value was changed; does nothing otherwise.
     */
    public static void mark(Headers headers, boolean key, boolean value) {
        headers.remove(DeadLetter.REDACTED_HEADER);
        if (key || value) {
            String what = key && value ? "key,value" : key ? "key" : "value";
            headers.add(DeadLetter.REDACTED_HEADER, what.getBytes(StandardCharsets.UTF_8));
        }
    }
}
