package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeyScopeWindow;
import io.keywatch.events.Severity;
import io.keywatch.streams.DetectionSetting;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * KEY_OVERPRIVILEGED (hygiene, from the scan): a registered, active, unexpired, non-canary key with a non-empty
 * {@code scopes} list holds scopes that its events show unused for {@code overprivileged.unusedDays} (30) days; least
 * privilege says to grant only the narrower set it uses. Only once keywatch has watched the key's scope use at least
 * that long (its first-seen day), so a new deployment does not flag everything, and never for a key whose events
 * never used a scope (KEY_UNUSED covers keys not used at all). The window and "watched the whole window" (first seen
 * before the window's first day) are {@link KeyScopeWindow}'s, shared with the alerts API's report. Registered and
 * used scopes match by exact string equality, as SCOPE_VIOLATION's do; {@code grant} holds the registered scopes not
 * shown unused, and scopes used but not registered are listed apart ({@code usedUnregistered}), never granted.
 * LOW: a tidy-up. Once per key per ISO week.
 */
public final class KeyOverprivilegedRule implements Detector.OnScan {

    public static final DetectionSetting UNUSED_DAYS =
            DetectionSetting.wholeNumber("overprivileged.unusedDays", 30, 1, 3650);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.KEY_OVERPRIVILEGED, Trigger.HYGIENE_SCAN,
            Dedup.WEEK, "`LOW`", Toggle.GLOBAL_AND_PER_KEY, "overprivileged", List.of(
                    SettingDoc.of(UNUSED_DAYS, "days",
                            "a registered scope unused this long is reported (keywatch must have watched the key "
                                    + "this long)")),
            "the key holds registered scopes it has not used for a long time: grant the narrower set it uses "
                    + "(least privilege)");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Finding evaluate(ScanContext context) {
        List<String> registered = context.metadata().scopes();
        if (registered == null || registered.isEmpty()) {
            return null;
        }
        // cheap pre-check, so that most scans need no store read: this task must have observed that long too
        int days = context.thresholds().getInt(UNUSED_DAYS);
        if (context.now() - context.observingSince() < days * Evidence.DAY_MS) {
            return null;
        }
        KeyScopeUsage usage = context.scopeUsage();
        if (usage == null) {
            return null;
        }
        return check(context.keyId(), context.metadata(), usage, context.now(), days);
    }

    /**
     * @param usage the key's scope usage as the topology recorded it
     * @param now   the scan's stream time
     * @param days  how long a registered scope must have gone unused
     */
    public Finding check(String keyId, KeyMetadata metadata, KeyScopeUsage usage, long now, int days) {
        LocalDate today = LocalDate.ofEpochDay(Math.floorDiv(now, Evidence.DAY_MS));
        if (!KeyScopeWindow.watchedWholeWindow(usage.firstSeen(), today, days)) {
            return null;
        }
        LocalDate windowStart = KeyScopeWindow.start(today, days);
        KeyScopeWindow.Split split = KeyScopeWindow.split(metadata.scopes(), usage.lastUsed(), usage.truncated(),
                today, days);
        List<String> unused = split.unused();
        if (unused.isEmpty()) {
            return null;
        }
        List<String> grant = split.kept();
        Map<String, String> used = new LinkedHashMap<>();
        for (String scope : grant) {
            LocalDate last = usage.lastUsed().get(scope);
            if (KeyScopeWindow.usedInWindow(last, today, days)) {
                used.put(scope, last.toString());
            }
        }
        Map<String, String> unusedLastUsed = new LinkedHashMap<>();
        for (String scope : unused) {
            LocalDate last = usage.lastUsed().get(scope);
            if (last != null) {
                unusedLastUsed.put(scope, last.toString());
            }
        }
        // used but not registered: SCOPE_VIOLATION's matter, listed apart and never suggested as a grant
        List<String> usedUnregistered = split.usedUnregistered();
        String owner = metadata.owner() == null ? "" : " of " + metadata.owner();
        String summary = String.format(Locale.ROOT, "Key %s%s holds %d registered scope%s and used %s of them in the "
                        + "last %d days (watched since %s); not used: %s. %s", keyId, owner, grant.size() + unused.size(),
                grant.size() + unused.size() == 1 ? "" : "s",
                used.isEmpty() ? "none" : String.valueOf(used.size()), days, usage.firstSeen(),
                String.join(", ", unused), grant.isEmpty() ? "Grant only what it still needs, or revoke it."
                        : "Grant only " + String.join(", ", grant) + ".");
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("registeredScopes", metadata.scopes());
        evidence.put("usedScopes", used);
        evidence.put("unusedScopes", unused);
        if (!unusedLastUsed.isEmpty()) {
            evidence.put("unusedScopesLastUsed", unusedLastUsed);
        }
        evidence.put("grant", List.copyOf(grant));
        evidence.put("usedUnregistered", usedUnregistered);
        evidence.put("unusedDays", days);
        evidence.put("windowStart", windowStart.toString());
        evidence.put("firstSeen", usage.firstSeen().toString());
        evidence.put("truncated", usage.truncated());
        evidence.put("checkedAt", Instant.ofEpochMilli(now).toString());
        Evidence.putIfPresent(evidence, "owner", metadata.owner());
        return new Finding(AlertRule.KEY_OVERPRIVILEGED, Severity.LOW, unused.size(), days, null, summary, evidence);
    }
}
