package io.keywatch.api.input;

import io.keywatch.api.http.RequestParams;
import io.keywatch.api.input.InputText.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * Opaque page tokens: versioned parts, checksummed and base64url-encoded, so that an edited or truncated token fails
 * loudly instead of silently skipping rows. The checksum guards against mistakes, not attackers: anyone can compute
 * a CRC, so every decoded part is checked as client input ({@link InputText}, {@link InputInstants}) before a store
 * binds it into SQL.
 */
public final class CursorCodec {

    public static final int MAX_TOKEN_LENGTH = 2_000;
    /** A part of a token: an id or an instant. */
    private static final int MAX_PART_LENGTH = RequestParams.MAX_ID_LENGTH;

    private CursorCodec() {
    }

    public static String encode(String version, String... parts) {
        String payload = version + '\n' + String.join("\n", parts);
        String token = checksum(payload) + '\n' + payload;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The {@code count} parts of a token of {@code version}, each non-empty, single-line text of sane length; throws
     * {@link IllegalArgumentException} for anything else, and nothing else for any string.
     */
    public static String[] decode(String token, String version, int count) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw invalid();
        }
        String text;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(token.strip());
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
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
        for (int i = 0; i < count; i++) {
            String part = all[i + 2];
            if (part.isEmpty() || InputText.problem(part, Kind.SINGLE_LINE, MAX_PART_LENGTH) != null) {
                throw invalid();
            }
            parts[i] = part;
        }
        return parts;
    }

    /** A part that holds an instant, in the range clients may send; {@link IllegalArgumentException} otherwise. */
    public static Instant instant(String part) {
        Instant instant = InputInstants.parseOrNull(part);
        if (instant == null) {
            throw invalid();
        }
        return instant;
    }

    private static String checksum(String payload) {
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(StandardCharsets.UTF_8));
        // eight hex digits, zero-padded (String.format costs more than the rest of the cursor together)
        return Long.toHexString(crc.getValue() | 0x1_0000_0000L).substring(1);
    }

    public static IllegalArgumentException invalid() {
        return new IllegalArgumentException(
                "cursor is not valid: pass the nextCursor of a previous response unchanged");
    }
}
