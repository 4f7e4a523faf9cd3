package io.keywatch.api.leastprivilege;

import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyScopeWindow;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

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
        LocalDate since = observation == null ? null : observation.firstSeen();
        boolean truncated = observation != null && observation.truncated();
        List<ScopeUse> used = new ArrayList<>();
        KeyScopeWindow.Split split = null;
        if (observation != null) {
            observation.lastUsed().forEach((scope, day) -> used.add(new ScopeUse(scope, day)));
            split = KeyScopeWindow.split(registered, observation.lastUsed(), truncated, today, days);
        }
        List<String> usedUnregistered = split == null ? List.of() : split.usedUnregistered();
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
        List<String> unused = split.unused();
        List<String> kept = split.kept();
        Verdict verdict = unused.isEmpty() ? Verdict.LEAST_PRIVILEGE : Verdict.OVERPRIVILEGED;
        return new LeastPrivilegeItem(keyId, metadata.owner(), metadata.service(), registered, used, usedUnregistered,
                unused, kept, since, days, verdict, truncated);
    }
}
