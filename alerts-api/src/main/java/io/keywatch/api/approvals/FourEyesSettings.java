package io.keywatch.api.approvals;

import io.keywatch.events.Env;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Whether reinstating a key and creating a rule-wide silence need a second identity's approval, and how long such a
 * request waits.
 *
 * @param enabled    {@code KEYWATCH_FOUR_EYES} (default true); false keeps the one-step behaviour
 * @param pendingFor {@code KEYWATCH_APPROVAL_EXPIRY_HOURS} (default 24, at most a week)
 */
public record FourEyesSettings(boolean enabled, Duration pendingFor) {

    public static final Duration DEFAULT_PENDING_FOR = Duration.ofHours(24);
    static final int MAX_PENDING_HOURS = 7 * 24;
    public static final FourEyesSettings DEFAULTS = new FourEyesSettings(true, DEFAULT_PENDING_FOR);
    public static final FourEyesSettings OFF = new FourEyesSettings(false, DEFAULT_PENDING_FOR);

    public FourEyesSettings {
        Objects.requireNonNull(pendingFor, "pendingFor");
        if (pendingFor.isNegative() || pendingFor.isZero()) {
            throw new IllegalArgumentException("KEYWATCH_APPROVAL_EXPIRY_HOURS must be positive");
        }
    }

    public static FourEyesSettings fromEnv(Map<String, String> variables) {
        Env env = Env.strict(variables);
        return new FourEyesSettings(env.bool("KEYWATCH_FOUR_EYES", true),
                Duration.ofHours(env.integer("KEYWATCH_APPROVAL_EXPIRY_HOURS", 24, 1, MAX_PENDING_HOURS)));
    }

    public FourEyesSettings withEnabled(boolean on) {
        return new FourEyesSettings(on, pendingFor);
    }
}
