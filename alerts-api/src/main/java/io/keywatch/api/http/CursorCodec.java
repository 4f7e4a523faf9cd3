package io.keywatch.api.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * Opaque page tokens: versioned parts, checksummed and base64url-encoded, so that an edited or truncated token fails
 * loudly instead of silently skipping rows. (The checksum guards against mistakes, not attackers.)
 */
public final class CursorCodec {

    private CursorCodec() {
    }

    public static String encode(String version, String... parts) {
        String payload = version + '\n' + String.join("\n", parts);
        String token = checksum(payload) + '\n' + payload;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code count} parts of a token of {@code version}; throws {@link IllegalArgumentException} otherwise. */
    public static String[] decode(String token, String version, int count) {
        if (token == null || token.isBlank() || token.length() > 2_000) {
            throw invalid();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        String[] all = text.split("\n", count + 2);
        if (all.length != count + 2 || !version.equals(all[1])) {
            throw invalid();
        }
        String payload = text.substring(all[0].length() + 1);
        if (!checksum(payload).equals(all[0])) {
            throw invalid();
        }
        String[] parts = new String[count];
        System.arraycopy(all, 2, parts, 0, count);
        return parts;
    }

    private static String checksum(String payload) {
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(StandardCharsets.UTF_8));
        // eight hex digits, zero-padded (String.format costs more than the rest of the cursor together)
        return Long.toHexString(crc.getValue() | 0x1_0000_0000L).substring(1);
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("cursor is not valid: pass the nextCursor of a previous response unchanged");
    }
}
