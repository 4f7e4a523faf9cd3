package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.MinuteAggregate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SCOPE_VIOLATION: calls that need a scope the key does not hold. A call is a violation when the service answered
 * {@code SCOPE_DENIED}, or when the key is registered with a non-empty {@code scopes} list and the event's
 * {@code scope} is not in it (INVALID_SECRET calls are not the key holder's and do not count; a key registered
 * without scopes, or with an empty list, is not restricted).
 *
 * <ul>
 *   <li>HIGH as soon as one out-of-scope call was <em>accepted</em> (auth OK, status below 400): the service does
 *   not enforce the key's scopes.</li>
 *   <li>MEDIUM when the minute's violations reach {@code scope.minDenied} (10) and are at least
 *   {@code scope.deniedRatio} (5 %) of its requests: someone probes what the key can do. Honest clients hit a few
 *   denials, hence the thresholds.</li>
 * </ul>
 * Window: the minute; evidence lists the scopes asked for (with counts) and the scopes held.
 */
public final class ScopeViolationRule implements Detector.OnEvent {

    public static final DetectionSetting MIN_DENIED = DetectionSetting.wholeNumber("scope.minDenied", 10, 1, 1e9);
    public static final DetectionSetting DENIED_RATIO = DetectionSetting.number("scope.deniedRatio", 0.05, 0, 1);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.SCOPE_VIOLATION, Trigger.EVENT, Dedup.MINUTE,
            "`HIGH` / `MEDIUM`", Toggle.GLOBAL_AND_PER_KEY, "scope", List.of(
                    SettingDoc.of(MIN_DENIED, "calls/min",
                            "out-of-scope or SCOPE_DENIED calls in a minute for MEDIUM ..."),
                    SettingDoc.of(DENIED_RATIO, "share",
                            "... that are also at least this share of the minute's requests")),
            "an accepted call needing a scope the key does not hold (`HIGH`), or many `SCOPE_DENIED` (`MEDIUM`)");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        if (!context.scopeViolation()) {
            return null;
        }
        Severity severity = severity(context.usage(), context.thresholds());
        return Verdict.of(severity, (start, end) -> describe(context.keyId(), context.minute(), context.usage(),
                severity, context.metadata(), context.thresholds()));
    }


    /** True when the event is a scope violation, by the service's verdict or by the key's registered scopes. */
    public boolean isViolation(UsageEvent event, KeyMetadata metadata) {
        if (event.authResult() == AuthResult.SCOPE_DENIED) {
            return true;
        }
        if (event.authResult() == AuthResult.INVALID_SECRET || event.scope() == null || metadata == null) {
            return false;
        }
        List<String> held = metadata.scopes();
        return held != null && !held.isEmpty() && !held.contains(event.scope());
    }

    /** True when the violation got through: the service accepted a call outside the key's scopes. */
    public boolean accepted(UsageEvent event) {
        return event.authResult() != AuthResult.SCOPE_DENIED && Evidence.accepted(event);
    }

    public Severity severity(MinuteAggregate usage, KeyThresholds thresholds) {
        if (usage.scopeViolationsAccepted() > 0) {
            return Severity.HIGH;
        }
        long violations = usage.scopeViolations();
        if (violations >= thresholds.getInt(MIN_DENIED)
                && violations >= thresholds.get(DENIED_RATIO) * usage.volume()) {
            return Severity.MEDIUM;
        }
        return null;
    }

    public Finding describe(String keyId, Instant windowStart, MinuteAggregate usage, Severity severity,
                            KeyMetadata metadata, KeyThresholds thresholds) {
        Map<String, Long> asked = usage.violatedScopes().top(MinuteAggregate.MAX_SCOPES);
        List<String> held = metadata == null || metadata.scopes() == null ? List.of() : metadata.scopes();
        long violations = usage.scopeViolations();
        String summary = severity == Severity.HIGH
                ? String.format(Locale.ROOT,
                        "Key %s made %d call(s) that need scopes it does not hold and the service accepted them, "
                                + "in the minute starting %s: asked for %s, holds %s.",
                        keyId, usage.scopeViolationsAccepted(), windowStart, asked.keySet(), held)
                : String.format(Locale.ROOT,
                        "Key %s made %d calls outside its scopes in the minute starting %s (%d requests in all): "
                                + "asked for %s, holds %s.",
                        keyId, violations, windowStart, usage.volume(), asked.keySet(), held);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("scopesRequested", asked);
        evidence.put("scopesHeld", held);
        evidence.put("violations", violations);
        evidence.put("violationsAccepted", usage.scopeViolationsAccepted());
        evidence.put("scopeDenied", usage.authResultCount(AuthResult.SCOPE_DENIED));
        evidence.put("minDenied", thresholds.getInt(MIN_DENIED));
        evidence.put("deniedRatio", thresholds.get(DENIED_RATIO));
        double threshold = severity == Severity.HIGH ? 1 : thresholds.getInt(MIN_DENIED);
        double observed = severity == Severity.HIGH ? usage.scopeViolationsAccepted() : violations;
        return new Finding(AlertRule.SCOPE_VIOLATION, severity, observed, threshold, null, summary, evidence);
    }
}
