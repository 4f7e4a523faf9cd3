package io.keywatch.streams;

import io.keywatch.events.AlertRule;
import io.keywatch.streams.aggregate.MinuteAggregate;
import java.util.Locale;

/**
 * Every detector threshold keywatch knows, by name. Each is set globally by an environment variable
 * ({@link #envVar()}, e.g. {@code KEYWATCH_DETECT_VOLUME_FLOOR}) and can be overridden for one key by the registry's
 * {@code KeyMetadata.thresholds} under its {@link #key() setting name} (e.g. {@code volume.floor}); a per-key value
 * wins over the global one. A per-key value outside the setting's range is ignored (the global value applies).
 *
 * <p>Besides these numbers, a rule can be switched off for one key with {@code <prefix>.enabled = 0} (the prefix
 * is the part of the setting names before the dot: {@code volume}, {@code authFailures}, {@code expired},
 * {@code scope}, {@code rateLimit}, {@code ipFanout}, {@code country}, {@code insecureTransport}, {@code keyInUrl},
 * {@code dormant}, {@code expiring}, {@code rotation}, {@code unused}; see {@link #enabledKey(AlertRule)}), and for
 * every key with {@code KEYWATCH_DETECT_DISABLED_RULES}. {@code REVOKED_KEY_USED} cannot be switched off per key.
 *
 * <table>
 *   <caption>Settings (per-key name, default, meaning)</caption>
 *   <tr><th>per-key name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>volume.warmupMinutes</td><td>10</td><td>completed minutes before VOLUME_SPIKE may fire</td></tr>
 *   <tr><td>volume.floor</td><td>100</td><td>requests/min below which no spike is raised</td></tr>
 *   <tr><td>volume.factor</td><td>5.0</td><td>a spike is at least this many times the baseline ...</td></tr>
 *   <tr><td>volume.deviations</td><td>6.0</td><td>... and this many mean absolute deviations above it</td></tr>
 *   <tr><td>volume.smoothing</td><td>0.1</td><td>weight of the newest minute in the recent averages</td></tr>
 *   <tr><td>leak.minClientIps</td><td>20</td><td>spike from this many IPs ...</td></tr>
 *   <tr><td>leak.minCountries</td><td>3</td><td>... and countries is CRITICAL</td></tr>
 *   <tr><td>authFailures.high</td><td>20</td><td>INVALID_SECRET per minute for HIGH</td></tr>
 *   <tr><td>authFailures.critical</td><td>100</td><td>... for CRITICAL</td></tr>
 *   <tr><td>expired.graceSeconds</td><td>0</td><td>uses this long after expiresAt are still tolerated</td></tr>
 *   <tr><td>scope.minDenied</td><td>10</td><td>SCOPE_DENIED/out-of-scope calls per minute for SCOPE_VIOLATION</td></tr>
 *   <tr><td>scope.deniedRatio</td><td>0.05</td><td>... that are also at least this share of the minute's requests</td></tr>
 *   <tr><td>rateLimit.minutes</td><td>3</td><td>consecutive minutes above the limit for RATE_LIMIT_EXCEEDED</td></tr>
 *   <tr><td>rateLimit.tolerance</td><td>1.0</td><td>a minute is above when requests &gt; limit x tolerance</td></tr>
 *   <tr><td>ipFanout.floor</td><td>10</td><td>distinct IPs/min below which IP_FANOUT never fires</td></tr>
 *   <tr><td>ipFanout.factor</td><td>5.0</td><td>... at least this many times the IP baseline ...</td></tr>
 *   <tr><td>ipFanout.deviations</td><td>6.0</td><td>... and this many mean absolute deviations above it</td></tr>
 *   <tr><td>ipFanout.warmupMinutes</td><td>10</td><td>active minutes before IP_FANOUT may fire</td></tr>
 *   <tr><td>country.warmupHours</td><td>24</td><td>hours after first use during which countries are learnt</td></tr>
 *   <tr><td>country.warmupMinutes</td><td>10</td><td>... and at least this many active minutes</td></tr>
 *   <tr><td>insecure.periodHours</td><td>1</td><td>INSECURE_TRANSPORT / KEY_IN_URL at most once per this period</td></tr>
 *   <tr><td>dormant.days</td><td>30</td><td>silence before a use is DORMANT_KEY_REACTIVATED</td></tr>
 *   <tr><td>expiring.days</td><td>14</td><td>KEY_EXPIRING when expiresAt is this close</td></tr>
 *   <tr><td>rotation.days</td><td>90</td><td>KEY_ROTATION_DUE when createdAt is this old</td></tr>
 *   <tr><td>unused.days</td><td>30</td><td>KEY_UNUSED after this long without use</td></tr>
 *   <tr><td>(global only) hygiene.scanMinutes</td><td>10</td><td>stream-time minutes between hygiene scans</td></tr>
 * </table>
 */
public enum DetectionSetting {

    VOLUME_WARMUP_MINUTES("volume.warmupMinutes", 10, 1, 1_000_000, true),
    VOLUME_FLOOR("volume.floor", 100, 1, 1e9, true),
    VOLUME_FACTOR("volume.factor", 5.0, Double.MIN_VALUE, 1e6, false),
    VOLUME_DEVIATIONS("volume.deviations", 6.0, Double.MIN_VALUE, 1e6, false),
    VOLUME_SMOOTHING("volume.smoothing", 0.1, Double.MIN_VALUE, 1, false),
    LEAK_MIN_CLIENT_IPS("leak.minClientIps", 20, 1, MinuteAggregate.MAX_CLIENT_IPS, true),
    LEAK_MIN_COUNTRIES("leak.minCountries", 3, 1, MinuteAggregate.MAX_COUNTRIES, true),
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

    /** The per-key switch of a rule ({@code volume.enabled}); null for rules that cannot be switched off per key. */
    public static String enabledKey(AlertRule rule) {
        String prefix = switch (rule) {
            case VOLUME_SPIKE -> "volume";
            case AUTH_FAILURE_BURST -> "authFailures";
            case EXPIRED_KEY_USED -> "expired";
            case SCOPE_VIOLATION -> "scope";
            case RATE_LIMIT_EXCEEDED -> "rateLimit";
            case IP_FANOUT -> "ipFanout";
            case NEW_COUNTRY -> "country";
            case INSECURE_TRANSPORT -> "insecureTransport";
            case KEY_IN_URL -> "keyInUrl";
            case DORMANT_KEY_REACTIVATED -> "dormant";
            case KEY_EXPIRING -> "expiring";
            case KEY_ROTATION_DUE -> "rotation";
            case KEY_UNUSED -> "unused";
            default -> null;
        };
        return prefix == null ? null : prefix + ".enabled";
    }
}
