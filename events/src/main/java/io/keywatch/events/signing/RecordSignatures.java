package io.keywatch.events.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Signs and verifies keywatch's own records ({@code keywatch.alerts}, {@code keywatch.key-state}): an HMAC-SHA256 in
 * the {@value #SIGNATURE_HEADER} header (base64url, no padding) under the key named by {@value #KEY_ID_HEADER}.
 *
 * <p>The MAC covers, each length-prefixed so that no two inputs share a byte string:
 * <ul>
 *   <li>the topic: an alert must not verify as a key state (or on a renamed/other deployment's topic);</li>
 *   <li>the record key: it decides which key a key state replaces under compaction and which partition an alert
 *       lands on, so a signed record copied under another key must fail;</li>
 *   <li>the value: what readers act on.</li>
 * </ul>
 * Not covered: the partition, the timestamp and the other headers, which readers do not act on. A verbatim replay of a
 * signed record on its own topic and key verifies (see the README: readers tolerate duplicates; an older key state
 * replayed is the case to watch).
 */
public final class RecordSignatures {

    public static final String SIGNATURE_HEADER = "keywatch.sig";
    public static final String KEY_ID_HEADER = "keywatch.sig-kid";
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] DOMAIN = "keywatch-record-v1".getBytes(StandardCharsets.UTF_8);
    /** A base64url HMAC-SHA256 is 43 characters; a header far longer is not ours and is not decoded. */
    private static final int MAX_SIGNATURE_HEADER_BYTES = 64;

    private final RecordSigningKeys keys;

    public RecordSignatures(RecordSigningKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** What a reader makes of a record: {@code reasonCode} is null when it verified. */
    public record Verdict(String reasonCode, String reason) {
        static final Verdict VALID = new Verdict(null, null);

        public boolean valid() {
            return reasonCode == null;
        }
    }

    /**
     * Replaces any signature headers on {@code headers} (a forged or copied one) by this record's signature under the
     * signing key. Returns {@code headers}.
     */
    public Headers sign(String topic, byte[] key, byte[] value, Headers headers) {
        byte[] mac = mac(keys.signingKey(), topic, key, value);
        headers.remove(SIGNATURE_HEADER);
        headers.remove(KEY_ID_HEADER);
        headers.add(KEY_ID_HEADER, keys.signingKeyId().getBytes(StandardCharsets.UTF_8));
        headers.add(SIGNATURE_HEADER, Base64.getUrlEncoder().withoutPadding().encode(mac));
        return headers;
    }

    /** Whether the record carries exactly one signature, by a listed key, over this topic, key and value. */
    public Verdict verify(String topic, byte[] key, byte[] value, Headers headers) {
        Header signature = only(headers, SIGNATURE_HEADER);
        Header keyId = only(headers, KEY_ID_HEADER);
        if (signature == null && keyId == null && count(headers, SIGNATURE_HEADER) == 0
                && count(headers, KEY_ID_HEADER) == 0) {
            return new Verdict("unsigned", "the record carries no " + SIGNATURE_HEADER + " header");
        }
        if (signature == null || keyId == null || signature.value() == null || keyId.value() == null) {
            return new Verdict("bad-signature", "the record needs exactly one " + SIGNATURE_HEADER + " and one "
                    + KEY_ID_HEADER + " header, each with a value");
        }
        String id = new String(keyId.value(), StandardCharsets.UTF_8);
        var verifying = keys.verifyingKey(id);
        if (verifying.isEmpty()) {
            // the id is not echoed: it is attacker text, and the listed ids are in the configuration
            return new Verdict("unknown-signing-key", "the record is signed by a key id that is not listed in "
                    + RecordSigningKeys.VAR);
        }
        if (signature.value().length > MAX_SIGNATURE_HEADER_BYTES) {
            return new Verdict("bad-signature", "the signature header is longer than a signature");
        }
        byte[] claimed;
        try {
            claimed = Base64.getUrlDecoder().decode(signature.value());
        } catch (IllegalArgumentException e) {
            return new Verdict("bad-signature", "the signature is not base64url");
        }
        // constant time: a byte-by-byte compare would tell a forger how much of a guess was right
        if (!MessageDigest.isEqual(claimed, mac(verifying.get(), topic, key, value))) {
            return new Verdict("bad-signature", "the signature does not match the record's topic, key and value");
        }
        return Verdict.VALID;
    }

    private static Header only(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header found = null;
        for (Header header : headers.headers(name)) {
            if (found != null) {
                return null;
            }
            found = header;
        }
        return found;
    }

    private static int count(Headers headers, String name) {
        if (headers == null) {
            return 0;
        }
        int count = 0;
        for (Header ignored : headers.headers(name)) {
            count++;
        }
        return count;
    }

    private static byte[] mac(byte[] secret, String topic, byte[] key, byte[] value) {
        try {
            // a Mac per call: instances are not thread-safe, and a call costs microseconds next to a Kafka send
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            mac.update(DOMAIN);
            update(mac, topic.getBytes(StandardCharsets.UTF_8));
            update(mac, key);
            update(mac, value);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Length first (-1 for null), so that a null key and an empty one, or bytes moved between parts, differ. */
    private static void update(Mac mac, byte[] part) {
        mac.update(ByteBuffer.allocate(4).putInt(part == null ? -1 : part.length).array());
        if (part != null) {
            mac.update(part);
        }
    }
}
