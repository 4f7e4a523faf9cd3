package io.keywatch.events;

/**
 * Attacker-controlled text made safe to echo in a reason or a log line: control, format, separator and surrogate
 * characters are escaped ({@code \u0000}, {@code \n}, ...) and the text is cut to a bounded length, so nothing read
 * from the wire can forge log lines, reorder text (bidi overrides) or flood a message.
 */
public final class SafeText {

    /** How many characters of an echoed value a reason shows. */
    public static final int ECHO_CHARS = 40;

    private SafeText() {
    }

    /** The value escaped, cut to {@link #ECHO_CHARS} characters (with "..." when cut) and in single quotes. */
    public static String quote(String value) {
        return value == null ? "null" : "'" + escape(value, ECHO_CHARS) + "'";
    }

    /** The value with every unsafe character escaped, cut to at most {@code maxChars} characters of the input. */
    public static String escape(String value, int maxChars) {
        if (value == null) {
            return "null";
        }
        int end = Math.min(value.length(), maxChars);
        StringBuilder out = new StringBuilder(end + 8);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                default -> {
                    if (isUnsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (end < value.length()) {
            out.append("...");
        }
        return out.toString();
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
