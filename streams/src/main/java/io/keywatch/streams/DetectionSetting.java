package io.keywatch.streams;

import io.keywatch.streams.aggregate.MinuteAggregate;
import java.util.Locale;

/**
 * Every detector threshold keywatch knows, by name. Each is set globally by an environment variable
 * ({@link #envVar()}, e.g. {@code KEYWATCH_DETECT_VOLUME_FLOOR}) and can be overridden for one key by the registry's
 * {@code KeyMetadata.thresholds} under its {@link #key() setting name} (e.g. {@code volume.floor}); a per-key value
 * wins over the global one. A per-key value outside the setting's range is ignored (the global value applies).
 *
 * <p>Besides these numbers, a rule can be switched off for one key with {@code <prefix>.enabled = 0} and for every
 * key with {@code KEYWATCH_DETECT_DISABLED_RULES}; each rule's declaration
 * ({@code io.keywatch.streams.detect.RuleDeclaration}) names its prefix, the settings it reads and what they mean
 * (the README's setting table is generated from those: {@code keywatch rules}).
 */
public enum DetectionSetting {

    VOLUME_WARMUP_MINUTES("volume.warmupMinutes", 10, 1, 1_000_000, true),
    VOLUME_PROBABILITY("volume.probability", 1e-6, Double.MIN_VALUE, 0.01, false),
    VOLUME_FACTOR("volume.factor", 3.0, Double.MIN_VALUE, 1e6, false),
    VOLUME_MIN_REQUESTS("volume.minRequests", 10, 1, 1e9, true),
    VOLUME_FLOOR("volume.floor", 100, 1, 1e9, true),
    /** A severity code (0 LOW, 1 MEDIUM, 2 HIGH, 3 CRITICAL), or -1 for no alert. */
    VOLUME_BELOW_FLOOR_SEVERITY("volume.belowFloorSeverity", 1, -1, 3, true),
    VOLUME_ADAPT_MINUTES("volume.adaptMinutes", 30, 1, 10_080, true),
    VOLUME_SMOOTHING("volume.smoothing", 0.1, Double.MIN_VALUE, 1, false),
    LEAK_MIN_CLIENT_IPS("leak.minClientIps", 20, 1, MinuteAggregate.MAX_CLIENT_IPS, true),
    LEAK_MIN_COUNTRIES("leak.minCountries", 3, 1, MinuteAggregate.MAX_COUNTRIES, true),
    DROP_MIN_EXPECTED("drop.minExpected", 20, 1, 1e9, false),
    DROP_MINUTES("drop.minutes", 5, 1, 1440, true),
    AUTH_FAILURES_HIGH("authFailures.high", 20, 1, 1e9, true),
    AUTH_FAILURES_CRITICAL("authFailures.critical", 100, 1, 1e9, true),
    EXPIRED_GRACE_SECONDS("expired.graceSeconds", 0, 0, 86_400 * 365.0, true),
    SCOPE_MIN_DENIED("scope.minDenied", 10, 1, 1e9, true),
    SCOPE_DENIED_RATIO("scope.deniedRatio", 0.05, 0, 1, false),
    RATE_LIMIT_MINUTES("rateLimit.minutes", 3, 1, 1440, true),
    RATE_LIMIT_TOLERANCE("rateLimit.tolerance", 1.0, Double.MIN_VALUE, 1e6, false),
    IP_FANOUT_FLOOR("ipFanout.floor", 10, 1, MinuteAggregate.MAX_CLIENT_IPS, true),
    IP_FANOUT_FACTOR("ipFanout.factor", 5.0, Double.MIN_VALUE, 1e6, false),
    IP_FANOUT_DEVIATIONS("ipFanout.deviations", 6.0, Double.MIN_VALUE, 1e6, false),
    IP_FANOUT_WARMUP_MINUTES("ipFanout.warmupMinutes", 10, 1, 1_000_000, true),
    COUNTRY_WARMUP_HOURS("country.warmupHours", 24, 0, 24 * 365, true),
    COUNTRY_WARMUP_MINUTES("country.warmupMinutes", 10, 0, 1_000_000, true),
    INSECURE_PERIOD_HOURS("insecure.periodHours", 1, 1, 24 * 7, true),
    DORMANT_DAYS("dormant.days", 30, 1, 3650, true),
    EXPIRING_DAYS("expiring.days", 14, 1, 3650, true),
    ROTATION_DAYS("rotation.days", 90, 1, 3650, true),
    UNUSED_DAYS("unused.days", 30, 1, 3650, true),
    OVERPRIVILEGED_UNUSED_DAYS("overprivileged.unusedDays", 30, 1, 3650, true),
    /** Global only: a punctuator's interval cannot differ per key. */
    HYGIENE_SCAN_MINUTES("hygiene.scanMinutes", 10, 1, 1440, true);

    private final String key;
    private final double defaultValue;
    private final double min;
    private final double max;
    private final boolean integer;

    DetectionSetting(String key, double defaultValue, double min, double max, boolean integer) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.integer = integer;
    }

    /** The per-key name, as used in {@code KeyMetadata.thresholds}. */
    public String key() {
        return key;
    }

    /** {@code volume.floor} -> {@code KEYWATCH_DETECT_VOLUME_FLOOR}. */
    public String envVar() {
        StringBuilder name = new StringBuilder("KEYWATCH_DETECT_");
        for (char c : key.toCharArray()) {
            if (c == '.') {
                name.append('_');
            } else if (Character.isUpperCase(c)) {
                name.append('_').append(c);
            } else {
                name.append(Character.toUpperCase(c));
            }
        }
        return name.toString().toUpperCase(Locale.ROOT);
    }

    public double defaultValue() {
        return defaultValue;
    }

    public boolean isInteger() {
        return integer;
    }

    /** Whether a registry entry may override this setting for its key. */
    public boolean isPerKey() {
        return this != HYGIENE_SCAN_MINUTES;
    }

    /** True when {@code value} is a valid value of this setting (finite, in range, whole where it must be). */
    public boolean accepts(double value) {
        return Double.isFinite(value) && value >= min && value <= max && (!integer || value == Math.rint(value));
    }

    /** Why {@code value} is not valid, naming the environment variable. */
    public String rangeMessage(double value) {
        String range = (min == Double.MIN_VALUE ? "greater than 0" : "at least " + format(min))
                + " and at most " + format(max);
        return envVar() + " must be " + (integer ? "a whole number " : "a number ") + range + ", got " + value;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
