package io.keywatch.events;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Says why bytes are not the strict UTF-8 a usage event must be, or null when they are. Jackson would otherwise
 * auto-detect UTF-16 and UTF-32 and accept overlong and surrogate sequences that other parsers read differently.
 *
 * <p>Refused: a byte-order mark; any NUL byte (never valid inside JSON, and the mark of UTF-16 or UTF-32 text);
 * malformed, overlong, surrogate or out-of-range sequences (the JDK's decoder, which follows RFC 3629). The ASCII
 * records publishers send are checked by one loop without allocation; only records with non-ASCII bytes are decoded.
 */
final class StrictUtf8 {

    private StrictUtf8() {
    }

    static String problem(byte[] bytes) {
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            return "starts with a UTF-8 byte-order mark";
        }
        boolean ascii = true;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == 0) {
                return "contains a NUL byte at offset " + i + " (UTF-16 or UTF-32 text?)";
            }
            if (b < 0) {
                ascii = false;
            }
        }
        if (ascii) {
            return null;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        try {
            decoder.decode(input);
            return null;
        } catch (CharacterCodingException e) {
            // the buffer stops where decoding failed
            return "malformed, overlong or surrogate UTF-8 sequence near offset " + input.position()
                    + " (or a byte-order mark of UTF-16/UTF-32)";
        }
    }
}
