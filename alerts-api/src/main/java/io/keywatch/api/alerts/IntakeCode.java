package io.keywatch.api.alerts;

/**
 * What an alert record's intake failure was, as one kebab-case word: the {@code keywatch.dlq.reason-code} of a
 * record quarantined to {@code keywatch.alerts.dlq} (the permanent ones), and what /health reports while a retry
 * streak lasts (all of them). Listed in the README (alerts' dead-letter topic).
 */
public enum IntakeCode {
    /** Not JSON, not an alert, or refused by the {@link AlertValidator}. */
    INVALID_ALERT("invalid-alert"),
    /** No {@code keywatch.sig} header: not written by keywatch (e.g. a plain producer). */
    UNSIGNED("unsigned"),
    /** Signed by a key id that {@code KEYWATCH_RECORD_SIGNING_KEYS} does not list (retired, or made up). */
    UNKNOWN_SIGNING_KEY("unknown-signing-key"),
    /** A signature that does not match the record's topic, key and value: forged, or copied from another record. */
    BAD_SIGNATURE("bad-signature"),
    /** PostgreSQL refused the record's data (SQLState classes 21, 22, 23, 54, most of 42). */
    DATABASE_REJECTED("database-rejected"),
    /** The record made the intake code throw (an argument, null, date or arithmetic error). */
    INTAKE_ERROR("intake-error"),
    /** The database is away, overloaded, shutting down, or misconfigured (transient: retried). */
    DATABASE_UNAVAILABLE("database-unavailable"),
    /** Kafka is away (transient: retried). */
    KAFKA_UNAVAILABLE("kafka-unavailable"),
    /** No rule recognised the failure (treated as transient: retried, logged loudly). */
    UNKNOWN("unknown");

    private final String code;

    IntakeCode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
