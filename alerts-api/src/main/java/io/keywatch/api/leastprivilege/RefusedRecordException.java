package io.keywatch.api.leastprivilege;

/**
 * A key-scopes record the intake will not store. The reason never quotes the record's value (only escaped, truncated
 * field names and positions), so it may be logged.
 *
 * @see KeyScopeRecords
 */
public final class RefusedRecordException extends RuntimeException {

    private final String reasonCode;

    public RefusedRecordException(String reasonCode, String reason) {
        super(reason, null, false, false);
        this.reasonCode = reasonCode;
    }

    /** One kebab-case word: unsigned, bad-signature, not-json, key-mismatch, bad-scope, bad-date, ... */
    public String reasonCode() {
        return reasonCode;
    }
}
