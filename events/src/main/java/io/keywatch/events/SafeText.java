package io.keywatch.events;

import io.keywatch.events.secrets.SecretDetector;
import io.keywatch.events.secrets.SecretText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Attacker-controlled text made safe to echo in a reason or a log line: control, format, separator and surrogate
 * characters are escaped ({@code \u0000}, {@code \n}, ...) and the text is cut to a bounded length, so nothing read
 * from the wire can forge log lines, reorder text (bidi overrides) or flood a message; and a token that looks like a
 * secret ({@link SecretDetector}) is replaced by {@code redacted:<format>} before the cut, so no echo shows a secret
 * or the first characters of one.
 */
public final class SafeText {

    /** How many characters of an echoed value a reason shows. */
    public static final int ECHO_CHARS = 40;

    /** Stateless: shared. */
    private static final SecretText SECRETS = new SecretText(new SecretDetector());

    private SafeText() {
    }

    /** The text with every secret-looking token replaced by {@code redacted:<format>}. */
    public static String redactSecrets(String value) {
        return SECRETS.redact(value);
    }

    /** The value escaped, cut to {@link #ECHO_CHARS} characters (with "..." when cut) and in single quotes. */
    public static String quote(String value) {
        return value == null ? "null" : "'" + escape(value, ECHO_CHARS) + "'";
    }

    /**
     * The value with every unsafe character escaped, cut so that the result has at most {@code maxChars} characters
     * before the "..." that marks a cut (an escape such as {@code \\u0000} counts six); secrets replaced first.
     */
    public static String escape(String value, int maxChars) {
        if (value == null) {
            return "null";
        }
        boolean cut = windowEnd(value, maxChars) < value.length();
        value = redactWindow(value, maxChars);
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxChars) + 8);
        for (int i = 0; i < value.length(); i++) {
            String piece = escaped(value.charAt(i));
            if (out.length() + piece.length() > maxChars) {
                return out.append("...").toString();
            }
            out.append(piece);
        }
        return cut ? out.append("...").toString() : out.toString();
    }

    /**
     * A preview of text for a person at a terminal (the {@code keywatch dlq} listing): escaped like
     * {@link #escape(String, int)}, cut after at most {@code maxChars} characters of output and then saying how
     * many characters of the input were left out, {@code ...(+990 chars)}.
     */
    public static String preview(String value, int maxChars) {
        if (value == null) {
            return "null";
        }
        String window = redactWindow(value, maxChars);
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxChars) + 16);
        int shown = fit(window, maxChars, out);
        int end = windowEnd(value, maxChars);
        if (shown < window.length() || end < value.length()) {
            // counted in the redacted window's characters, then the rest of the value beyond the window
            int rest = window.length() - shown + (value.length() - end);
            out.append("\u2026(+").append(rest).append(" chars)");
        }
        return out.toString();
    }

    /**
     * A preview of raw bytes: decoded as UTF-8 (malformed sequences as U+FFFD, then escaped), cut after at most
     * {@code maxChars} characters of output with the value's size in bytes, {@code ...(200000 bytes)}, and flagged
     * {@code [not valid UTF-8]} when the bytes are not. Only the first bytes are decoded: a huge value costs nothing.
     */
    public static String preview(byte[] bytes, int maxChars) {
        if (bytes == null) {
            return "null";
        }
        int window = Math.min(bytes.length, maxChars * 4 + 4);
        // a window that cuts a character in two is not bad input: allow up to three bytes of a cut character
        boolean valid = false;
        for (int cut = 0; cut <= (window < bytes.length ? 3 : 0) && !valid; cut++) {
            valid = isValidUtf8(bytes, window - cut);
        }
        String text = redactSecrets(StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, window)).toString());
        StringBuilder out = new StringBuilder(maxChars + 32);
        int shown = fit(text, maxChars, out);
        if (shown < text.length() || window < bytes.length) {
            out.append("\u2026(").append(bytes.length).append(" bytes)");
        }
        if (!valid) {
            out.append(" [not valid UTF-8]");
        }
        return out.toString();
    }

    /**
     * The first characters of the value that an echo of at most {@code maxChars} could show, with their secrets
     * redacted. Only a window is redacted, never the whole value: an echo of a 64 KiB user agent costs the same as
     * one of 40 characters. The window is large enough for a redaction ({@code redacted:<format>} in place of a long
     * secret) to bring later text into view.
     */
    static String redactWindow(String value, int maxChars) {
        return redactSecrets(value.substring(0, windowEnd(value, maxChars)));
    }

    private static int windowEnd(String value, int maxChars) {
        return (int) Math.min(value.length(), Math.max(0L, maxChars) * 4L + 512L);
    }

    /** Appends {@code value} escaped while the output stays within {@code maxChars}; returns the chars consumed. */
    private static int fit(String value, int maxChars, StringBuilder out) {
        int start = out.length();
        int i = 0;
        for (; i < value.length(); i++) {
            String piece = escaped(value.charAt(i));
            if (out.length() - start + piece.length() > maxChars) {
                break;
            }
            out.append(piece);
        }
        return i;
    }

    /** True when the first {@code length} bytes are well-formed UTF-8 (the JDK's decoder, RFC 3629). */
    public static boolean isValidUtf8(byte[] bytes, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, Math.max(0, Math.min(length, bytes.length))));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** {@code Class: message} of a failure, its message escaped, at most about {@code maxChars}: a dead-letter reason. */
    public static String describe(Throwable failure, int maxChars) {
        String text = failure.getClass().getName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        Throwable cause = failure.getCause();
        if (cause != null && cause != failure) {
            text += " (caused by " + cause.getClass().getName() + ": " + cause.getMessage() + ")";
        }
        return escape(text, maxChars);
    }

    private static String escaped(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\\' -> "\\\\";
            case '\'' -> "\\'";
            default -> isUnsafe(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        };
    }

    /**
     * True for characters never echoed as they are: controls (C0, DEL, C1), format characters (bidi overrides,
     * zero-width, BOM), line and paragraph separators, and surrogates (escaped one by one, paired or not).
     */
    static boolean isUnsafe(char c) {
        if (c < 0x20 || c == 0x7f) {
            return true;
        }
        if (c < 0x80) {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
    }
}
