package io.keywatch.api.leastprivilege;

import io.keywatch.events.KeyMetadata;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Compares a key's registered scopes with the scopes it used. The window is the last {@code days} UTC days, today
 * included, so it starts on {@code today - (days - 1)}: a scope is used when its last day is on or after that start;
 * "not used" is claimed only for a key keywatch has watched since that start or earlier.
 */
public final class LeastPrivilegeAssessor {

    private LeastPrivilegeAssessor() {
    }

    /** The first day of the window of {@code days} days that ends today. */
    public static LocalDate windowStart(LocalDate today, int days) {
        return today.minusDays(days - 1L);
    }

    /**
     * @param metadata    the key's registry entry (never null: only registered keys are assessed)
     * @param observation what keywatch stored of its scope usage, null when never seen
     */
    public static LeastPrivilegeItem assess(String keyId, KeyMetadata metadata, ScopeObservation observation,
                                            LocalDate today, int days) {
        List<String> registered = metadata.scopes() == null ? List.of()
                : List.copyOf(new LinkedHashSet<>(metadata.scopes()));
        List<ScopeUse> used = new ArrayList<>();
        if (observation != null) {
            for (Map.Entry<String, LocalDate> entry : observation.lastUsed().entrySet()) {
                used.add(new ScopeUse(entry.getKey(), entry.getValue()));
            }
        }
        LocalDate start = windowStart(today, days);
        LocalDate since = observation == null ? null : observation.firstSeen();
        boolean truncated = observation != null && observation.truncated();
        if (registered.isEmpty()) {
            return new LeastPrivilegeItem(keyId, metadata.owner(), metadata.service(), registered, used, List.of(),
                    registered, since, days, Verdict.NO_SCOPES_REGISTERED, truncated);
        }
        if (observation == null) {
            return new LeastPrivilegeItem(keyId, metadata.owner(), metadata.service(), registered, used, List.of(),
                    registered, null, days, Verdict.NEVER_SEEN, false);
        }
        if (observation.firstSeen().isAfter(start)) {
            return new LeastPrivilegeItem(keyId, metadata.owner(), metadata.service(), registered, used, List.of(),
                    registered, since, days, Verdict.NOT_ENOUGH_HISTORY, truncated);
        }
        List<String> unused = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String scope : registered) {
            LocalDate last = observation.lastUsed().get(scope);
            (last != null && !last.isBefore(start) ? kept : unused).add(scope);
        }
        Verdict verdict = unused.isEmpty() ? Verdict.LEAST_PRIVILEGE : Verdict.OVERPRIVILEGED;
        return new LeastPrivilegeItem(keyId, metadata.owner(), metadata.service(), registered, used, unused,
                unused.isEmpty() ? registered : kept, since, days, verdict, truncated);
    }
}
