package io.keywatch.events.secrets;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces a secret by a keyed fingerprint, {@code redacted:<format>:<32 hex digits>}: the first 128 bits of
 * HMAC-SHA256 of the secret under a {@link FingerprintKey} keywatch holds. The same secret always gives the same
 * fingerprint under the same key (so its events still group as one key), and without the key nobody can test a
 * guess against it, which a plain hash would allow for short or structured secrets.
 *
 * <p>Not thread-safe (it keeps one {@link Mac}): one instance per processor.
 */
public final class SecretFingerprinter {

    /** What every fingerprint starts with. */
    public static final String PREFIX = "redacted:";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int HEX_DIGITS = 32;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Mac mac;

    public SecretFingerprinter(FingerprintKey key) {
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.bytes(), ALGORITHM));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // every Java platform must provide HmacSHA256
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    /** {@code redacted:<format>:<first 32 hex digits of HMAC-SHA256(secret)>}. */
    public String fingerprint(SecretFormat format, String secret) {
        byte[] digest = mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder(PREFIX.length() + format.label().length() + 1 + HEX_DIGITS)
                .append(PREFIX).append(format.label()).append(':');
        for (int i = 0; i < HEX_DIGITS / 2; i++) {
            out.append(HEX[(digest[i] >> 4) & 0xf]).append(HEX[digest[i] & 0xf]);
        }
        return out.toString();
    }

    /**
     * The first whole fingerprint ({@code redacted:<format>:<32 hex digits>}) in a text keywatch redacted, or null: a
     * redacted dead letter names the secret it held this way. Linear: each start is looked at once.
     */
    public static String find(String text) {
        for (int at = text.indexOf(PREFIX); at >= 0; at = text.indexOf(PREFIX, at + 1)) {
            int formatEnd = at + PREFIX.length();
            while (formatEnd < text.length() && formatEnd - at < 64 && isLabelChar(text.charAt(formatEnd))) {
                formatEnd++;
            }
            int end = formatEnd + 1 + HEX_DIGITS;
            if (formatEnd > at + PREFIX.length() && end <= text.length() && text.charAt(formatEnd) == ':'
                    && isHex(text, formatEnd + 1, end)) {
                return text.substring(at, end);
            }
        }
        return null;
    }

    /** The format a fingerprint names ({@code stripe-secret-key} of {@code redacted:stripe-secret-key:...}). */
    public static String formatOf(String fingerprint) {
        int end = fingerprint.indexOf(':', PREFIX.length());
        return end < 0 ? "unknown" : fingerprint.substring(PREFIX.length(), end);
    }

    private static boolean isLabelChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }

    private static boolean isHex(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a key id has the shape of a fingerprint (which names no registered key). */
    public static boolean isFingerprint(String keyId) {
        return keyId != null && keyId.startsWith(PREFIX);
    }
}
