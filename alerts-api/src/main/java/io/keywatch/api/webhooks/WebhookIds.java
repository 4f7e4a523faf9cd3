package io.keywatch.api.webhooks;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Makes webhook message ids: {@code msg_} and a ULID (48-bit millisecond time, 80 random bits, Crockford base32).
 * Ids sort by creation time, which keeps outbox listings and delivery logs readable, and hold no '.', which the
 * signature scheme reserves as its delimiter. Thread-safe.
 */
public final class WebhookIds {

    public static final String PREFIX = "msg_";
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final java.util.regex.Pattern FORMAT =
            java.util.regex.Pattern.compile("msg_[0-7][0-9A-HJKMNP-TV-Z]{25}");

    private final Clock clock;
    private final RandomGenerator random;

    public WebhookIds(Clock clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** System UTC clock and a {@link SecureRandom}. */
    public static WebhookIds create() {
        return new WebhookIds(Clock.systemUTC(), new SecureRandom());
    }

    public String next() {
        long millis = clock.millis();
        if (millis < 0 || millis >= (1L << 48)) {
            throw new IllegalStateException("clock out of the ULID range: " + millis);
        }
        long randomHigh;
        long randomLow;
        synchronized (this) {
            randomHigh = random.nextLong() & 0xFFFFL; // 16 bits
            randomLow = random.nextLong();             // 64 bits
        }
        char[] out = new char[26];
        // 26 base32 digits encode 130 bits: 2 leading zero bits, 48 time bits, 80 random bits
        long timeAndHigh = millis; // the top 10 digits carry the 48 time bits (plus 2 zero bits)
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (timeAndHigh & 31)];
            timeAndHigh >>>= 5;
        }
        // the remaining 16 digits carry 80 random bits: 16 high bits then 64 low bits
        long low = randomLow;
        for (int i = 25; i >= 13; i--) { // 13 digits = 65 bits: 64 low bits and the lowest high bit
            if (i == 13) {
                out[i] = CROCKFORD[(int) ((low & 15) | ((randomHigh & 1) << 4))];
            } else {
                out[i] = CROCKFORD[(int) (low & 31)];
                low >>>= 5;
            }
        }
        long high = randomHigh >>> 1; // 15 bits left for digits 10..12
        for (int i = 12; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (high & 31)];
            high >>>= 5;
        }
        return PREFIX + new String(out);
    }

    /** Whether {@code id} has the form this class makes. */
    public static boolean isWellFormed(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }
}
