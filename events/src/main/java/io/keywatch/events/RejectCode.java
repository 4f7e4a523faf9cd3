package io.keywatch.events;

/**
 * Why a usage event went to {@code keywatch.usage-events.dlq}: the value of the {@link DeadLetter#REASON_CODE_HEADER}
 * header, one kebab-case word that dead-letter tooling groups and selects by. The {@link DeadLetter#REASON_HEADER}
 * header says the rest in words. Listed in the README.
 */
public enum RejectCode {
    /** The record has no value (null or zero bytes). */
    EMPTY("empty"),
    /** The value is larger than {@link UsageEventLimits#MAX_RECORD_BYTES}, or nests or runs on too far. */
    TOO_LARGE("too-large"),
    /** The value is not strict UTF-8: a byte-order mark, a NUL byte (UTF-16/32), malformed or overlong sequences. */
    NOT_UTF8("not-utf8"),
    /** The value is not JSON. */
    INVALID_JSON("invalid-json"),
    /** The value is JSON but not an object. */
    NOT_AN_OBJECT("not-an-object"),
    /** A field name occurs twice (parsers disagree on which one wins). */
    DUPLICATE_FIELD("duplicate-field"),
    /** Something follows the JSON object. */
    TRAILING_DATA("trailing-data"),
    /** A required field is absent or null. */
    MISSING_FIELD("missing-field"),
    /** A field has the wrong JSON type (a string where a number belongs, ...). */
    WRONG_TYPE("wrong-type"),
    /** A field's value is outside its limits (length, characters, syntax, range). */
    FIELD_INVALID("field-invalid"),
    /** The timestamp is outside {@link UsageEventLimits#EARLIEST} .. {@link UsageEventLimits#LATEST}. */
    TIMESTAMP_OUT_OF_RANGE("timestamp-out-of-range"),
    /** The timestamp is further ahead of the clock than the allowed skew. */
    FUTURE("future"),
    /** The event is too old for its minute's window (behind the newest event time by more than the grace). */
    LATE("late"),
    /** A processor of the topology threw on the record; the reason is the exception. */
    PROCESSING_ERROR("processing-error"),
    /** An internal topic's record could not be deserialized. */
    DESERIALIZATION_ERROR("deserialization-error"),
    /** What the topology made of the record (an alert, a late event) could not be serialized for its topic. */
    SERIALIZATION_ERROR("serialization-error");

    private final String code;

    RejectCode(String code) {
        this.code = code;
    }

    /** The kebab-case word carried in the header. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
