package io.keywatch.events;

import java.time.Instant;

/**
 * The limits of the usage-event wire contract, which {@link UsageEventParser} enforces: every field is written by
 * whoever called the service, so every field is bounded. The README's contract table lists them.
 */
public final class UsageEventLimits {

    /** A record value larger than this is refused before it is parsed. */
    public static final int MAX_RECORD_BYTES = 64 * 1024;
    /** How deep objects and arrays may nest (unknown fields included); the contract itself is flat. */
    public static final int MAX_NESTING_DEPTH = 16;
    /** The longest field name, and the longest number literal, Jackson reads. */
    public static final int MAX_NAME_CHARS = 256;
    public static final int MAX_NUMBER_CHARS = 32;

    public static final int MAX_KEY_ID_CHARS = 256;
    public static final int MAX_EVENT_ID_CHARS = 128;
    public static final int MAX_SERVICE_CHARS = 128;
    public static final int MAX_METHOD_CHARS = 32;
    public static final int MAX_PATH_CHARS = 2048;
    public static final int MAX_USER_AGENT_CHARS = 512;
    public static final int MAX_SCOPE_CHARS = 256;
    public static final int MAX_TIMESTAMP_CHARS = 64;

    /** Event times are in [EARLIEST, LATEST): far from any overflow of epoch-millisecond arithmetic. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    public static final int MIN_STATUS = 100;
    public static final int MAX_STATUS = 599;
    /** A day: a request that took longer is not a measurement. */
    public static final int MAX_LATENCY_MS = 86_400_000;

    private UsageEventLimits() {
    }
}
