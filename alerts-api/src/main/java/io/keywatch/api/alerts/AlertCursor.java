package io.keywatch.api.alerts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Where a page of alerts ended: the (detectedAt, id) of its last item. Clients see it as an opaque base64url
 * token; a checksum makes an edited or truncated token fail loudly instead of silently skipping alerts.
 * (The checksum guards against mistakes, not attackers: a forged cursor can only page the caller's own view.)
 */
public record AlertCursor(Instant detectedAt, String id) {

    private static final String VERSION = "v1";

    public AlertCursor {
        Objects.requireNonNull(detectedAt, "detectedAt");
        Objects.requireNonNull(id, "id");
    }

    public String encode() {
        String payload = VERSION + '\n' + detectedAt + '\n' + id;
        String token = checksum(payload) + '\n' + payload;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a token made by {@link #encode()}; throws {@link IllegalArgumentException} for anything else. */
    public static AlertCursor decode(String token) {
        if (token == null || token.isBlank() || token.length() > 1_000) {
            throw invalid();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        String[] parts = text.split("\n", 4);
        if (parts.length != 4 || !VERSION.equals(parts[1]) || parts[3].isEmpty()) {
            throw invalid();
        }
        String payload = parts[1] + '\n' + parts[2] + '\n' + parts[3];
        if (!checksum(payload).equals(parts[0])) {
            throw invalid();
        }
        try {
            return new AlertCursor(Instant.parse(parts[2]), parts[3]);
        } catch (DateTimeParseException e) {
            throw invalid();
        }
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
