package io.keywatch.events;

import io.keywatch.events.secrets.SecretDetector;
import io.keywatch.events.secrets.SecretText;

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
        value = redactSecrets(value);
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxChars) + 8);
        for (int i = 0; i < value.length(); i++) {
            String piece = escaped(value.charAt(i));
            if (out.length() + piece.length() > maxChars) {
                return out.append("...").toString();
            }
            out.append(piece);
        }
        return out.toString();
    }

    /** {@code Class: message} of a failure, its message escaped, at most about {@code maxChars}: a dead-letter reason. */
    public static String describe(Throwable failure, int maxChars) {
        String name = failure.getClass().getName();
        String message = failure.getMessage();
        return message == null ? name : name + ": " + escape(message, Math.max(0, maxChars - name.length() - 2));
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
