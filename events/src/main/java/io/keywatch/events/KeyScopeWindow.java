package io.keywatch.events;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one definition of "unused for {@code days} days", shared by the topology's KEY_OVERPRIVILEGED and the alerts
 * API's least-privilege report so that they never disagree. The window is the last {@code days} UTC days, today
 * included: it starts on {@code today - (days - 1)}. A scope is used when its last day is in the window. "Not used"
 * is claimed only for a key keywatch watched the <em>whole</em> window: first seen before the window's first day
 * (seen on that day itself, keywatch may have started watching after the key's use that morning).
 */
public final class KeyScopeWindow {

    private KeyScopeWindow() {
    }

    /** The first day of the window of {@code days} days that ends today. */
    public static LocalDate start(LocalDate today, int days) {
        return today.minusDays(days - 1L);
    }

    /** True when keywatch has watched the key since before the window began. */
    public static boolean watchedWholeWindow(LocalDate firstSeen, LocalDate today, int days) {
        return firstSeen.isBefore(start(today, days));
    }

    /** True when {@code lastUsed} (null: never) is in the window. */
    public static boolean usedInWindow(LocalDate lastUsed, LocalDate today, int days) {
        return lastUsed != null && !lastUsed.isBefore(start(today, days));
    }

    /**
     * True when a registered scope missing from the record was not used in the window. Registered scopes are never
     * dropped, but a scope registered only after the topology dropped it (it was then an unregistered one) may be
     * missing although used: such a scope was no more recent than the unregistered scopes kept, so a truncated record
     * proves a registered scope unused only when its oldest kept unregistered scope is before the window.
     *
     * @param lastUsed   the record's scopes and their last days
     * @param registered the key's registered scopes now
     */
    public static boolean missingMeansUnused(boolean truncated, Map<String, LocalDate> lastUsed,
                                             Collection<String> registered, LocalDate today, int days) {
        if (!truncated) {
            return true;
        }
        LocalDate oldest = null;
        for (Map.Entry<String, LocalDate> entry : lastUsed.entrySet()) {
            if (!registered.contains(entry.getKey()) && (oldest == null || entry.getValue().isBefore(oldest))) {
                oldest = entry.getValue();
            }
        }
        return oldest != null && oldest.isBefore(start(today, days));
    }

    /**
     * A key's registered scopes split by their use in the window, as the alert and the report both state them.
     *
     * @param unused           registered, not used in the window (or missing from a record that proves it)
     * @param kept             registered, used in the window or possibly used (missing from a truncated record):
     *                         the narrower set to grant
     * @param usedUnregistered used in the window but not registered (SCOPE_VIOLATION's matter; never to grant)
     */
    public record Split(List<String> unused, List<String> kept, List<String> usedUnregistered) {
    }

    /** Splits {@code registered} (in its order, without repeats) by the record's {@code lastUsed}. */
    public static Split split(Collection<String> registered, Map<String, LocalDate> lastUsed, boolean truncated,
                              LocalDate today, int days) {
        Set<String> scopes = new LinkedHashSet<>(registered);
        boolean missingMeansUnused = missingMeansUnused(truncated, lastUsed, scopes, today, days);
        List<String> unused = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String scope : scopes) {
            LocalDate last = lastUsed.get(scope);
            boolean isUnused = last != null ? !usedInWindow(last, today, days) : missingMeansUnused;
            (isUnused ? unused : kept).add(scope);
        }
        List<String> usedUnregistered = new ArrayList<>();
        for (Map.Entry<String, LocalDate> entry : lastUsed.entrySet()) {
            if (!scopes.contains(entry.getKey()) && usedInWindow(entry.getValue(), today, days)) {
                usedUnregistered.add(entry.getKey());
            }
        }
        return new Split(List.copyOf(unused), List.copyOf(kept), List.copyOf(usedUnregistered));
    }
}
