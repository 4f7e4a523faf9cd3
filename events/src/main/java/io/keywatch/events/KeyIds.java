package io.keywatch.events;

/**
 * The one rule for an API key's identifier, wherever keywatch meets one (a usage event, an alert, an HTTP request):
 * 1 to {@link UsageEventLimits#MAX_KEY_ID_CHARS} characters, printable, without whitespace, control, format,
 * separator or unpaired surrogate characters. The problem it names never quotes the value (a key id may be a
 * pasted secret): only the length, or the index and code point of the first bad character.
 */
public final class KeyIds {

    public static final int MAX_CHARS = UsageEventLimits.MAX_KEY_ID_CHARS;

    private KeyIds() {
    }

    /** Null when {@code value} is a valid key id; otherwise what is wrong, e.g. "has U+0020 at index 3". */
    public static String problem(String value) {
        if (value == null || value.isEmpty()) {
            return "is empty";
        }
        if (value.length() > MAX_CHARS) {
            return "is " + value.length() + " characters long, more than " + MAX_CHARS;
        }
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (!FieldCheck.isSafe(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return String.format("must be printable without spaces, but has U+%04X at index %d (length %d)",
                        c, i, value.length());
            }
            i += Character.charCount(c);
        }
        return null;
    }
}
