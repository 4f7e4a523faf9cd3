package io.keywatch.events;

/** Whether a key may still be used. */
public enum KeyStatus implements StoredCode {
    ACTIVE(0),
    REVOKED(1);

    private static final StoredCodes<KeyStatus> CODES = StoredCodes.of(values());

    private final int code;

    KeyStatus(int code) {
        this.code = code;
    }

    /** The stored code: what state stores and changelogs hold for this constant; never changes once released. */
    @Override
    public int code() {
        return code;
    }

    /** The constant stored as {@code code}, or null for a code this build does not know. */
    public static KeyStatus fromCode(int code) {
        return CODES.fromCode(code);
    }

    /** One more than the highest code: the length of an array indexed by code. */
    public static int codeCount() {
        return CODES.size();
    }
}
