package io.keywatch.api.leastprivilege;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;

/**
 * The report on one key.
 *
 * @param registeredScopes what the registry grants the key
 * @param usedScopes       every scope keywatch saw the key use, registered or not, with its last day
 * @param usedUnregistered scopes used in the window that the registry does not grant the key (SCOPE_VIOLATION's
 *                         matter): listed apart, never suggested
 * @param unusedScopes     registered scopes not used in the window (empty without enough history)
 * @param suggestedScopes  the set to grant: the registered scopes not shown unused in the window (used, or missing
 *                         from a truncated record that cannot tell) when OVERPRIVILEGED, else the registered scopes
 * @param observedSince    the UTC day keywatch first saw the key; null when never seen
 * @param days             the window: the last {@code days} UTC days, today included
 * @param truncated        the key used more scopes than the topology keeps: some old ones may be missing
 */
public record LeastPrivilegeItem(String keyId, String owner, String service, List<String> registeredScopes,
                                 List<ScopeUse> usedScopes, List<String> usedUnregistered, List<String> unusedScopes, List<String> suggestedScopes,
                                 @JsonInclude(JsonInclude.Include.ALWAYS) LocalDate observedSince, int days,
                                 Verdict verdict, boolean truncated) {

    public LeastPrivilegeItem {
        registeredScopes = List.copyOf(registeredScopes);
        usedScopes = List.copyOf(usedScopes);
        usedUnregistered = List.copyOf(usedUnregistered);
        unusedScopes = List.copyOf(unusedScopes);
        suggestedScopes = List.copyOf(suggestedScopes);
    }
}
