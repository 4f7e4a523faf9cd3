package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.KeyProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * NEW_COUNTRY, two ways:
 * <ul>
 *   <li><b>Allow-list</b> (HIGH, no warm-up): the event's country is not in the key's registered
 *   {@code allowedCountries}, or its client IP is in none of its {@code allowedCidrs} (empty or missing lists allow
 *   anything; an event without country or IP cannot violate that list; malformed CIDRs are ignored, and a list made
 *   only of malformed ones allows anything).</li>
 *   <li><b>History</b> (MEDIUM): a country never seen for the key. Countries are learnt during a warm-up, the key's
 *   first {@code country.warmupHours} (24) hours <em>and</em> {@code country.warmupMinutes} (10) active minutes;
 *   after it each new country alerts once and is then remembered. The set is capped at
 *   {@value KeyProfile#MAX_COUNTRIES} countries; a key used from more is treated as used from anywhere.</li>
 * </ul>
 * Only a country or IP that is new within the minute is looked at, so the cost is per new value, not per event.
 * Window: the minute.
 */
public final class NewCountryRule implements Detector.OnEvent {

    public static final DetectionSetting WARMUP_HOURS =
            DetectionSetting.wholeNumber("country.warmupHours", 24, 0, 24 * 365);
    public static final DetectionSetting WARMUP_MINUTES =
            DetectionSetting.wholeNumber("country.warmupMinutes", 10, 0, 1_000_000);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.NEW_COUNTRY, Trigger.EVENT, Dedup.MINUTE,
            "`HIGH` / `MEDIUM`", Toggle.GLOBAL_AND_PER_KEY, "country", List.of(
                    SettingDoc.of(WARMUP_HOURS, "hours",
                            "hours after a key's first use during which its countries are learnt ..."),
                    SettingDoc.of(WARMUP_MINUTES, "minutes",
                            "... and at least this many active minutes")),
            "use from outside the key's allowed countries or CIDRs (`HIGH`, at once), or from a country never seen "
                    + "for it after a warm-up (`MEDIUM`)");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        if (!context.newIp() && !context.newCountryInMinute()) {
            return null;
        }
        UsageEvent event = context.event();
        String violation = allowListViolation(event, context.metadata(), context.newCountryInMinute(),
                context.newIp());
        // the key learns the country whether or not the minute alerts (an allow-list HIGH outranks the MEDIUM)
        Severity learned = null;
        List<String> knownBefore = new ArrayList<>();
        if (context.newCountryInMinute()) {
            KeyProfile profile = context.profile();
            int before = profile.countries().size();
            learned = learn(event, profile, context.thresholds(), knownBefore);
            if (profile.countries().size() != before || profile.countriesSaturated()) {
                context.profileChanged();
            }
        }
        if (violation != null) {
            return Verdict.of(Severity.HIGH,
                    (start, end) -> describeAllowList(event, context.minute(), context.metadata(), violation));
        }
        return Verdict.of(learned, (start, end) -> describeNew(event, knownBefore, context.profile()));
    }


    /** Why the event breaks the key's allow-lists, or null when it does not (or the key has none). */
    public String allowListViolation(UsageEvent event, KeyMetadata metadata, boolean newCountry, boolean newIp) {
        if (metadata == null) {
            return null;
        }
        List<String> countries = metadata.allowedCountries();
        if (newCountry && event.country() != null && countries != null && !countries.isEmpty()
                && !containsIgnoringCase(countries, event.country())) {
            return "country " + event.country() + " is not in the allowed countries " + countries;
        }
        List<String> cidrs = metadata.allowedCidrs();
        if (newIp && event.clientIp() != null && cidrs != null && !cidrs.isEmpty()) {
            byte[] ip = IpRanges.parse(event.clientIp().trim());
            if (ip == null) {
                return "client IP '" + event.clientIp() + "' is not an IP address, and the key only allows " + cidrs;
            }
            boolean anyValid = false;
            for (String cidr : cidrs) {
                Boolean inside = cidr == null ? null : IpRanges.contains(cidr, ip);
                if (Boolean.TRUE.equals(inside)) {
                    return null;
                }
                anyValid |= inside != null;
            }
            return anyValid ? "client IP " + event.clientIp() + " is outside the allowed ranges " + cidrs : null;
        }
        return null;
    }

    private static boolean containsIgnoringCase(List<String> values, String value) {
        for (String candidate : values) {
            if (candidate != null && candidate.trim().equalsIgnoreCase(value)) {
                return true;
            }
        }
        return false;
    }

    /** True when the key's country history is still learning at {@code eventTime}. */
    public boolean warmingUp(KeyProfile profile, long eventTime, KeyThresholds thresholds) {
        long warmupMs = thresholds.getInt(WARMUP_HOURS) * Evidence.HOUR_MS;
        return profile.firstSeenMinute() == Long.MIN_VALUE
                || eventTime - profile.firstSeenMinute() < warmupMs
                || profile.activeMinutes() < thresholds.getInt(WARMUP_MINUTES);
    }

    /**
     * Learns the event's country; MEDIUM when it is new for the key after the warm-up, null otherwise. Returns the
     * countries known before, for the evidence, through {@code knownBefore}.
     */
    public Severity learn(UsageEvent event, KeyProfile profile, KeyThresholds thresholds, List<String> knownBefore) {
        String country = event.country().toUpperCase(Locale.ROOT);
        if (profile.countriesSaturated() || profile.knowsCountry(country)) {
            return null;
        }
        knownBefore.addAll(profile.countries());
        boolean warmingUp = warmingUp(profile, event.timestamp().toEpochMilli(), thresholds);
        if (!profile.addCountry(country)) {
            return null;
        }
        return warmingUp || knownBefore.isEmpty() ? null : Severity.MEDIUM;
    }

    public Finding describeAllowList(UsageEvent event, Instant windowStart, KeyMetadata metadata, String reason) {
        String summary = String.format(Locale.ROOT, "Key %s was used at %s from %s%s, outside its allow-list: %s.",
                event.keyId(), event.timestamp(), event.clientIp() == null ? "an unknown IP" : event.clientIp(),
                event.country() == null ? "" : " in " + event.country(), reason);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("violation", reason);
        Evidence.putIfPresent(evidence, "allowedCountries", metadata.allowedCountries());
        Evidence.putIfPresent(evidence, "allowedCidrs", metadata.allowedCidrs());
        Evidence.putEvent(evidence, event);
        return new Finding(AlertRule.NEW_COUNTRY, Severity.HIGH, 1, 1, null, summary, evidence);
    }

    public Finding describeNew(UsageEvent event, List<String> knownBefore, KeyProfile profile) {
        String summary = String.format(Locale.ROOT,
                "Key %s was used from %s for the first time at %s%s; it was used before only from %s.",
                event.keyId(), event.country(), event.timestamp(),
                event.clientIp() == null ? "" : " (client IP " + event.clientIp() + ")", knownBefore);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("newCountry", event.country());
        evidence.put("knownCountries", knownBefore);
        evidence.put("firstSeen", Instant.ofEpochMilli(profile.firstSeenMinute()).toString());
        evidence.put("activeMinutes", profile.activeMinutes());
        Evidence.putEvent(evidence, event);
        return new Finding(AlertRule.NEW_COUNTRY, Severity.MEDIUM, 1, 1, (double) knownBefore.size(), summary,
                evidence);
    }
}
