package io.keywatch.events;

/**
 * An enum constant's number in stored state (state stores, changelogs, database columns). Declared explicitly so
 * that reordering or inserting constants never changes what stored bytes mean; {@code StoredCodesTest} pins them.
 */
public interface StoredCode {

    /** The constant's stable number: small, non-negative, unique within its enum, never reused. */
    int code();
}
