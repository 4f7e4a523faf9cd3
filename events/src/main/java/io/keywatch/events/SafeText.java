package io.keywatch.events;

/**
 * Makes an untrusted string fit to quote in a log line or a dead-letter reason: control characters, lone
 * surrogates and non-ASCII line separators escaped as {@code \\uXXXX} (so a forged value cannot forge log lines or
 * hide a NUL), and cut to a bound with an ellipsis. Never returns null.
 */
public final class SafeText {

    /** The default bound for a quoted value. */
    public static final int DEFAULT_MAX = 80;

    private SafeText() {
    }

    public static String quote(String value) {
        return quote(value, DEFAULT_MAX);
    }

    /** At most {@code max} characters of the value (escapes count as they are written), then {@code …}. */
    public static String quote(String value, int max) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max) + 8);
        for (int i = 0; i < value.length(); i++) {
            if (out.length() >= max) {
                return out.append('…').toString();
            }
            char c = value.charAt(i);
            boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pairedSurrogate) {
                out.append(c).append(value.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029'
                    || c == '\\') {
                out.append(c == '\\' ? "\\\\" : String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code Class: message} of a failure, its message quoted; what a dead-letter reason says. */
    public static String describe(Throwable failure, int max) {
        String message = failure.getMessage();
        String name = failure.getClass().getName();
        return message == null ? name : name + ": " + quote(message, Math.max(0, max - name.length() - 2));
    }
}
