package io.keywatch.streams.redact;

import io.keywatch.events.DeadLetter;
import io.keywatch.events.secrets.FingerprintKey;
import io.keywatch.events.secrets.SecretDetector;
import io.keywatch.events.secrets.SecretFingerprinter;
import io.keywatch.events.secrets.SecretFormat;
import io.keywatch.events.secrets.SecretText;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Takes the secrets out of a record bound for a dead-letter topic: keywatch stores no secret in clear, not even to
 * keep a record exactly as it arrived. A record key that is or holds a secret becomes the secret's fingerprint (as a
 * key id does, so a replayed record still groups with its key); in the value, each secret token (as a whole, or
 * between spaces, quotes, JSON punctuation, see {@link SecretText}) becomes its fingerprint in place, the rest byte
 * for byte as it was. The record then carries {@value DeadLetter#REDACTED_HEADER} naming what changed.
 *
 * <p>The value is scanned as ISO-8859-1, one character per byte: the secret formats are ASCII, and bytes that are not
 * UTF-8 (a value rejected for that) come back unchanged. Two spellings that scan cannot see are also looked at: a
 * value that holds NUL bytes is decoded as UTF-16 and UTF-32 (both byte orders), and a value with
 * JSON escapes ({@code \\u0073k_live_...}, {@code \\/}) is read with them unescaped; a secret found only there cannot
 * be replaced in place, so the whole value is left out ({@link #value(byte[])} answers null; the reason says so,
 * {@link #VALUE_LEFT_OUT}). Every scan is linear in the value. Not thread-safe (the fingerprinter keeps a {@code Mac}).
 */
public final class DeadLetterRedactor {

    /**
     * The configuration entry that hands the service's {@link FingerprintKey} to the exception handlers (Kafka Streams
     * creates them itself); without it they fingerprint under a random key of their own.
     */
    public static final String CONFIG = "keywatch.dead-letter.fingerprint-key";

    /** Appended to a dead letter's reason when {@link #value(byte[])} left the value out. */
    public static final String VALUE_LEFT_OUT = " (value left out: it holds a secret written with JSON escapes or in "
            + "UTF-16/UTF-32, which cannot be replaced in place)";

    private static final List<Charset> WIDE_CHARSETS = List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
            Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE"));

    private static final Set<String> OWN_HEADERS = Set.of(DeadLetter.REASON_HEADER, DeadLetter.REASON_CODE_HEADER,
            DeadLetter.ORIGIN_HEADER, DeadLetter.REDACTED_HEADER);

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

    /**
     * The value with each secret token replaced by its fingerprint; the same instance when it holds none; null (leave
     * it out, and say so with {@link #VALUE_LEFT_OUT}) when it holds a secret only visible once decoded as UTF-16/32
     * or with its JSON escapes undone.
     */
    public byte[] value(byte[] value) {
        if (value == null || value.length < SecretDetector.MIN_LENGTH) {
            return value;
        }
        String text = new String(value, StandardCharsets.ISO_8859_1);
        String redacted = secrets.redact(text, fingerprinter::fingerprint);
        if (hidesSecret(value, redacted)) {
            return null;
        }
        return redacted == text ? value : redacted.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether a secret is still there in another spelling after the in-place redaction {@code redacted}. */
    private boolean hidesSecret(byte[] value, String redacted) {
        if (redacted.indexOf('\\') >= 0 && secrets.firstSecret(JsonEscapes.undo(redacted)) != null) {
            return true;
        }
        if (hasNul(value)) { // ASCII in UTF-16 is valid UTF-8 too: NUL bytes are the sign
            for (Charset charset : WIDE_CHARSETS) {
                // malformed sequences become U+FFFD: a secret's ASCII characters still decode
                if (secrets.firstSecret(new String(value, charset)) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasNul(byte[] value) {
        for (byte b : value) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces, in place, each header value that holds a secret by its redaction ({@link #value(byte[])}; a value left
     * out becomes null), except those keywatch itself sets on a dead letter (reason, code, origin, redacted); true when one changed. The headers
     * a dead letter copies are bounded ({@code DeadLetterHeaders}, 16 KiB in all), so this is too.
     */
    public boolean headers(Headers headers) {
        Header[] all = headers.toArray();
        boolean changed = false;
        for (int i = 0; i < all.length; i++) {
            if (OWN_HEADERS.contains(all[i].key())) {
                continue;
            }
            byte[] original = all[i].value();
            byte[] redacted = value(original);
            if (redacted != original) {
                all[i] = new RecordHeader(all[i].key(), redacted);
                changed = true;
            }
        }
        if (changed) { // rebuilt in the same order
            for (Header header : headers.toArray()) {
                headers.remove(header.key());
            }
            for (Header header : all) {
                headers.add(header);
            }
        }
        return changed;
    }

    /**
     * Adds {@value DeadLetter#REDACTED_HEADER}, the comma-separated list of what was changed ({@code key},
     * {@code value}, {@code headers}, in that order), when anything was; does nothing otherwise.
     */
    public static void mark(Headers headers, boolean key, boolean value, boolean copiedHeaders) {
        headers.remove(DeadLetter.REDACTED_HEADER);
        StringBuilder what = new StringBuilder();
        if (key) {
            what.append("key");
        }
        if (value) {
            what.append(what.isEmpty() ? "" : ",").append("value");
        }
        if (copiedHeaders) {
            what.append(what.isEmpty() ? "" : ",").append("headers");
        }
        if (!what.isEmpty()) {
            headers.add(DeadLetter.REDACTED_HEADER, what.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
