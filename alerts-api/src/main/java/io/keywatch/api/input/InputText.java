package io.keywatch.api.input;

import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.events.SafeText;

/**
 * The one check for every string an API client sends: query and path parameters, JSON body fields, the parts of a
 * decoded cursor. PostgreSQL refuses NUL in text, logs and consoles must not receive control characters, and an
 * unpaired surrogate cannot be encoded as UTF-8, so none of them gets past this point.
 */
public final class InputText {

    /** What a field may contain besides printable characters. */
    public enum Kind {
        /** Ids, enum names, filters, URLs, owners: no control or format characters, no line breaks. */
        SINGLE_LINE,
        /** Notes, reasons, comments, descriptions: also line feed, carriage return and tab. */
        MULTI_LINE
    }

    private InputText() {
    }

    /** Why {@code value} is not acceptable, or null when it is. */
    public static String problem(String value, Kind kind, int maxLength) {
        if (value.length() > maxLength) {
            return "must be at most " + maxLength + " characters, got " + value.length();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired surrogate at index " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate at index " + i;
            }
            if (!allowed(c, kind)) {
                return "contains the control character " + escape(c) + " at index " + i
                        + (kind == Kind.SINGLE_LINE ? "" : " (only \\n, \\r and \\t are allowed)");
            }
        }
        return null;
    }

    /** {@code value} when acceptable; otherwise a 400 naming {@code field} and saying why. */
    public static String require(String field, String value, Kind kind, int maxLength) {
        String problem = problem(value, kind, maxLength);
        if (problem != null) {
            throw new InvalidInputException(field + " " + problem);
        }
        return value;
    }

    /**
     * The value for an error message: quoted, unsafe characters escaped, secrets redacted, cut to a few dozen
     * characters; {@link SafeText#quote}, the one quoting rule of keywatch.
     */
    public static String quote(String value) {
        return SafeText.quote(value);
    }

    /** Text for a message or a log line: {@link SafeText#escape}, cut to {@code max}; "" for null. */
    public static String escape(String value, int max) {
        return value == null ? "" : SafeText.escape(value, max);
    }

    private static boolean allowed(char c, Kind kind) {
        if (kind == Kind.MULTI_LINE && (c == '\n' || c == '\r' || c == '\t')) {
            return true;
        }
        return switch (Character.getType(c)) {
            // C0, DEL and C1 controls; bidi overrides and other invisible format characters; U+2028/U+2029
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            case Character.FORMAT -> kind == Kind.MULTI_LINE && !isBidiControl(c);
            default -> c != '\uFFFE' && c != '\uFFFF';
        };
    }

    /** Bidirectional overrides and isolates, which make text display as something else ("Trojan Source"). */
    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F'
                || c == '\u061C';
    }

    private static String escape(char c) {
        return String.format("\\u%04X", (int) c);
    }
}
