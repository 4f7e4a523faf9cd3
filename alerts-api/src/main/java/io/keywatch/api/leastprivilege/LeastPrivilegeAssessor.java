package io.keywatch.api.leastprivilege;

import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyScopeWindow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a key's registered scopes with the scopes it used, by the topology's own definition
 * ({@link KeyScopeWindow}, shared with KEY_OVERPRIVILEGED): the window is the last {@code days} UTC days, today
 * included, so it starts on {@code today - (days - 1)}; a scope is used when its last day is on or after that start;
 * "not used" is claimed only for a key keywatch watched the whole window (first seen before its start). A registered
 * scope missing from a truncated record is claimed unused only under {@link KeyScopeWindow#missingMeansUnused};
 * otherwise it may have been used and stays in the suggested grant. Scopes used but not registered are listed apart
 * ({@code usedUnregistered}) and never suggested.
 */
public final class LeastPrivilegeAssessor {

    private LeastPrivilegeAssessor() {
    }

    /** The first day of the window of {@code days} days that ends today. */
    public static LocalDate windowStart(LocalDate today, int days) {
        return KeyScopeWindow.start(today, days);
    }

    /**
     * @param metadata    the key's registry entry (never null: only registered keys are assessed)
     * @param observation what keywatch stored of its scope usage, null when never seen
     */
    public static LeastPrivilegeItem assess(String keyId, KeyMetadata metadata, ScopeObservation observation,
                                            LocalDate today, int days) {
        List<String> registered = metadata.scopes() == null ? List.of()
                : List.copyOf(new LinkedHashSet<>(metadata.scopes()));
        Set<String> registeredSet = Set.copyOf(registered);
        List<ScopeUse> used = new ArrayList<>();
        List<String> usedUnregistered = new ArrayList<>();
        if (observation != null) {
            for (Map.Entry<String, LocalDate> entry : observation.lastUsed().entrySet()) {
                used.add(new ScopeUse(entry.getKey(), entry.getValue()));
                if (!registeredSet.contains(entry.getKey())
                        && KeyScopeWindow.usedInWindow(entry.getValue(), today, days)) {
                    usedUnregistered.add(entry.getKey());
                }
            }
        }
        LocalDate since = observation == null ? null : observation.firstSeen();
        boolean truncated = observation != null && observation.truncated();
        if (registered.isEmpty()) {
            return new LeastPrivilegeItem(keyId, metadata.owner(), metadata.service(), registered, used,
                    usedUnregistered, List.of(), registered, since, days, Verdict.NO_SCOPES_REGISTERED, truncated);
        }
        if (observation == null) {
            return new LeastPrivilegeItem(keyId, metadata.owner(), metadata.service(), registered, used,
                    usedUnregistered, List.of(), registered, null, days, Verdict.NEVER_SEEN, false);
        }
        if (!KeyScopeWindow.watchedWholeWindow(observation.firstSeen(), today, days)) {
            return new LeastPrivilegeItem(keyId, metadata.owner(), metadata.service(), registered, used,
                    usedUnregistered, List.of(), registered, since, days, Verdict.NOT_ENOUGH_HISTORY, truncated);
        }
        boolean missingMeansUnused = KeyScopeWindow.missingMeansUnused(truncated, observation.lastUsed(),
                registeredSet, today, days);
        List<String> unused = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String scope : registered) {
            LocalDate last = observation.lastUsed().get(scope);
            boolean isUnused = last != null ? !KeyScopeWindow.usedInWindow(last, today, days) : missingMeansUnused;
            (isUnused ? unused : kept).add(scope);
        }
        Verdict verdict = unused.isEmpty() ? Verdict.LEAST_PRIVILEGE : Verdict.OVERPRIVILEGED;
        return new LeastPrivilegeItem(keyId, metadata.owner(), metadata.service(), registered, used, usedUnregistered,
                unused, kept, since, days, verdict, truncated);
    }
}
