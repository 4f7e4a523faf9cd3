package io.keywatch.events;

import java.util.Locale;

/** The per-field limits of {@link UsageEventParser}: each check returns the (possibly normalized) value or rejects. */
final class FieldCheck {

    private FieldCheck() {
    }

    /** Key id: the one rule of {@link KeyIds}, whose reasons never quote the value. */
    static String keyId(String value) {
        // never any of its content in the reason: a key id may be a secret (one read from a file with its newline)
        String problem = KeyIds.problem(value);
        if (problem != null) {
            throw new UsageEventParser.Reject(RejectCode.FIELD_INVALID,
                    "field 'keyId' " + problem + " (its content is not shown)");
        }
        return value;
    }

    /** A required identifier (eventId, service): not blank, capped, no unsafe characters. */
    static String identifier(String field, String value, int max) {
        length(field, value, 1, max);
        if (value.isBlank()) {
            throw new UsageEventParser.Reject(RejectCode.FIELD_INVALID, "field '" + field + "' must not be blank");
        }
        return text(field, value, max);
    }

    /** Optional free text (path, userAgent, scope): capped, no control, format or separator characters. */
    static String text(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        length(field, value, 0, max);
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (!isSafe(c)) {
                throw invalid(field, value, "has " + describe(c) + " at index " + i);
            }
            i += Character.charCount(c);
        }
        return value;
    }

    /** HTTP method: an RFC 9110 token (letters, digits and {@code !#$%&'*+-.^_`|~}), 1-32 characters. */
    static String method(String value) {
        if (value == null) {
            return null;
        }
        length("method", value, 1, UsageEventLimits.MAX_METHOD_CHARS);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                throw invalid("method", value, "must be an HTTP token (letters, digits, !#$%&'*+-.^_`|~)");
            }
        }
        return value;
    }

    /** Client IP: an IPv4 or IPv6 literal, checked for syntax only (never resolved). */
    static String clientIp(String value) {
        if (value == null) {
            return null;
        }
        if (!IpLiteral.isValid(value)) {
            throw invalid("clientIp", value, "must be an IPv4 or IPv6 address literal");
        }
        return value;
    }

    /** Country: ISO 3166-1 alpha-2, two ASCII letters; lower case is accepted and upper-cased. */
    static String country(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() != 2 || !isAsciiLetter(value.charAt(0)) || !isAsciiLetter(value.charAt(1))) {
            throw invalid("country", value, "must be two ASCII letters (ISO 3166-1 alpha-2)");
        }
        return value.toUpperCase(Locale.ROOT);
    }

    static Integer range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new UsageEventParser.Reject(RejectCode.FIELD_INVALID, "field '" + field + "' must be between "
                    + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /**
     * False for code points never accepted in a string field: controls (C0, DEL, C1), format characters (bidi
     * overrides and isolates, zero-width characters, BOM), line and paragraph separators, unpaired surrogates.
     */
    static boolean isSafe(int c) {
        if (c >= 0x20 && c < 0x7f) {
            return true;
        }
        int type = Character.getType(c);
        return !(type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR);
    }

    private static void length(String field, String value, int min, int max) {
        if (value.length() < min) {
            throw new UsageEventParser.Reject(RejectCode.FIELD_INVALID, "field '" + field + "' must not be empty");
        }
        if (value.length() > max) {
            throw new UsageEventParser.Reject(RejectCode.FIELD_INVALID, "field '" + field + "' is "
                    + value.length() + " characters long, more than " + max + ": " + SafeText.quote(value));
        }
    }

    private static UsageEventParser.Reject invalid(String field, String value, String why) {
        return new UsageEventParser.Reject(RejectCode.FIELD_INVALID, "field '" + field + "' " + why + ", got "
                + SafeText.quote(value));
    }

    private static String describe(int c) {
        return String.format("U+%04X (%s)", c, Character.getName(c) == null ? "unassigned" : Character.getName(c));
    }
}
