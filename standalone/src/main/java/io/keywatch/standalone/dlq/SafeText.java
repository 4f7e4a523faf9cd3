package io.keywatch.standalone.dlq;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Makes attacker-controlled text safe to print on a terminal: control characters, escape sequences and characters
 * that reorder or hide text are shown as {@code \\uXXXX}, and the result is cut to a preview.
 */
public final class SafeText {

    private SafeText() {
    }

    /** {@code text} escaped and cut after {@code maxChars} characters of input, saying how much was left out. */
    public static String escape(String text, int maxChars) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 16);
        int shown = 0;
        for (int i = 0; i < text.length() && shown < maxChars; i++, shown++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (unsafe(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > shown) {
            out.append("…(+").append(text.length() - shown).append(" chars)");
        }
        return out.toString();
    }

    /**
     * A preview of raw bytes: decoded as UTF-8 (malformed sequences shown as U+FFFD, and said so), escaped and cut
     * after {@code maxChars} characters. Only the first bytes are decoded, so a huge value costs nothing.
     */
    public static String preview(byte[] bytes, int maxChars) {
        if (bytes == null) {
            return "null";
        }
        int window = Math.min(bytes.length, maxChars * 4 + 4);
        // a window that cuts a character in two is not bad input: allow up to three bytes of a cut character
        boolean valid = false;
        for (int cut = 0; cut <= (window < bytes.length ? 3 : 0) && !valid; cut++) {
            valid = validUtf8(bytes, window - cut);
        }
        String text = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, window)).toString();
        StringBuilder out = new StringBuilder(escape(text.substring(0, Math.min(text.length(), maxChars)), maxChars));
        if (text.length() > maxChars || window < bytes.length) {
            out.append("…(").append(bytes.length).append(" bytes)");
        }
        if (!valid) {
            out.append(" [not valid UTF-8]");
        }
        return out.toString();
    }

    private static boolean validUtf8(byte[] bytes, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, Math.max(0, length)));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == '\u2028' || c == '\u2029'               // line and paragraph separators
                || (c >= '\u202a' && c <= '\u202e')             // bidi embeddings and overrides
                || (c >= '\u2066' && c <= '\u2069')             // bidi isolates
                || (c >= '\u200b' && c <= '\u200f')             // zero-width characters and marks
                || c == '\ufeff';
    }
}
