package io.keywatch.events;

/**
 * Alert severity, ordered from least to most severe. The stored codes rise with severity too: the alert database
 * keeps them as {@code severity_rank} and filters with {@code >=}, so a severity between two others needs a
 * migration, not just a code.
 */
public enum Severity implements StoredCode {
    LOW(0),
    MEDIUM(1),
    HIGH(2),
    CRITICAL(3);

    private static final StoredCodes<Severity> CODES = StoredCodes.of(values());

    private final int code;

    Severity(int code) {
        this.code = code;
    }

    /** The stored code: what state stores and changelogs hold for this constant; never changes once released. */
    @Override
    public int code() {
        return code;
    }

    /** The constant stored as {@code code}, or null for a code this build does not know. */
    public static Severity fromCode(int code) {
        return CODES.fromCode(code);
    }

    /** One more than the highest code: the length of an array indexed by code. */
    public static int codeCount() {
        return CODES.size();
    }

    public boolean isAtLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Parses a severity name case-insensitively; throws {@link IllegalArgumentException} naming the valid values. */
    public static Severity parse(String value) {
        return EnumNames.parse(Severity.class, "severity", value);
    }
}
