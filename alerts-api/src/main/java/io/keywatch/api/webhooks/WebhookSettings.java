package io.keywatch.api.webhooks;

import io.keywatch.events.Env;
import io.keywatch.api.secrets.SecretKeys;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How keywatch delivers webhooks, from {@code KEYWATCH_WEBHOOK_*} environment variables.
 *
 * @param allowList     {@code KEYWATCH_WEBHOOK_ALLOW}: hosts and CIDR ranges webhook URLs may reach although they
 *                      are internal (default: none)
 * @param allowHttp     {@code KEYWATCH_WEBHOOK_ALLOW_HTTP}: accept plain http URLs (default false)
 * @param timeout       {@code KEYWATCH_WEBHOOK_TIMEOUT_MS}: connect timeout and whole-request timeout of one
 *                      attempt (default 10000)
 * @param retrySchedule {@code KEYWATCH_WEBHOOK_RETRY_SCHEDULE}: delays between attempts (default
 *                      {@value RetrySchedule#DEFAULT_SPEC})
 * @param relayInterval {@code KEYWATCH_WEBHOOK_RELAY_INTERVAL_MS}: how often the outbox relay looks for due
 *                      deliveries (default 500)
 * @param probes        {@code KEYWATCH_WEBHOOK_PROBE_INITIAL_MS} (default 60000) and
 *                      {@code KEYWATCH_WEBHOOK_PROBE_MAX_MS} (default 3600000): how a FAILING endpoint is probed
 * @param secretKeys    {@code KEYWATCH_SECRETS_KEYS} or {@code KEYWATCH_SECRETS_KEYS_FILE}: the keys that seal the
 *                      signing secrets at rest; null when unset (the API then refuses to start)
 */
public record WebhookSettings(
        WebhookAllowList allowList, boolean allowHttp, Duration timeout, RetrySchedule retrySchedule,
        Duration relayInterval, ProbeSchedule probes, SecretKeys secretKeys) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RELAY_INTERVAL = Duration.ofMillis(500);
    public static final WebhookSettings DEFAULTS = new WebhookSettings(
            WebhookAllowList.EMPTY, false, DEFAULT_TIMEOUT, RetrySchedule.DEFAULT, DEFAULT_RELAY_INTERVAL,
            ProbeSchedule.DEFAULT, null);

    /** Without secret keys (the caller adds them with {@link #withSecretKeys}). */
    public WebhookSettings(WebhookAllowList allowList, boolean allowHttp, Duration timeout,
                           RetrySchedule retrySchedule, Duration relayInterval, ProbeSchedule probes) {
        this(allowList, allowHttp, timeout, retrySchedule, relayInterval, probes, null);
    }

    public WebhookSettings {
        Objects.requireNonNull(allowList, "allowList");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("KEYWATCH_WEBHOOK_TIMEOUT_MS must be positive, got " + timeout);
        }
        Objects.requireNonNull(retrySchedule, "retrySchedule");
        Objects.requireNonNull(relayInterval, "relayInterval");
        if (relayInterval.isNegative() || relayInterval.isZero()) {
            throw new IllegalArgumentException("KEYWATCH_WEBHOOK_RELAY_INTERVAL_MS must be positive, got "
                    + relayInterval);
        }
        Objects.requireNonNull(probes, "probes");
    }

    /** Settings from the environment; anything unset keeps its default; a bad value names its variable. */
    public static WebhookSettings fromEnv(Map<String, String> env) {
        // its messages name KEYWATCH_WEBHOOK_ALLOW already
        WebhookAllowList allow = WebhookAllowList.parse(env.get("KEYWATCH_WEBHOOK_ALLOW"));
        RetrySchedule schedule;
        String scheduleSpec = env.get("KEYWATCH_WEBHOOK_RETRY_SCHEDULE");
        if (scheduleSpec == null) {
            schedule = RetrySchedule.DEFAULT;
        } else {
            try {
                schedule = RetrySchedule.parse(scheduleSpec);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("KEYWATCH_WEBHOOK_RETRY_SCHEDULE: " + e.getMessage(), e);
            }
        }
        Env vars = Env.of(env);
        return new WebhookSettings(
                allow,
                vars.bool("KEYWATCH_WEBHOOK_ALLOW_HTTP", false),
                vars.positiveMillis("KEYWATCH_WEBHOOK_TIMEOUT_MS", DEFAULT_TIMEOUT),
                schedule,
                vars.positiveMillis("KEYWATCH_WEBHOOK_RELAY_INTERVAL_MS", DEFAULT_RELAY_INTERVAL),
                new ProbeSchedule(
                        vars.positiveMillis("KEYWATCH_WEBHOOK_PROBE_INITIAL_MS", ProbeSchedule.DEFAULT_INITIAL),
                        vars.positiveMillis("KEYWATCH_WEBHOOK_PROBE_MAX_MS", ProbeSchedule.DEFAULT_MAX),
                        RetrySchedule.DEFAULT_JITTER),
                SecretKeys.fromEnv(env));
    }

    /** The keys that seal webhook secrets at rest ({@link SecretKeys}). */
    public WebhookSettings withSecretKeys(SecretKeys keys) {
        return new WebhookSettings(allowList, allowHttp, timeout, retrySchedule, relayInterval, probes, keys);
    }

    public WebhookSettings withAllowList(WebhookAllowList list) {
        return new WebhookSettings(list, allowHttp, timeout, retrySchedule, relayInterval, probes, secretKeys);
    }

    public WebhookSettings withAllowHttp(boolean allow) {
        return new WebhookSettings(allowList, allow, timeout, retrySchedule, relayInterval, probes, secretKeys);
    }

    public WebhookSettings withTimeout(Duration newTimeout) {
        return new WebhookSettings(allowList, allowHttp, newTimeout, retrySchedule, relayInterval, probes, secretKeys);
    }

    public WebhookSettings withRetrySchedule(RetrySchedule schedule) {
        return new WebhookSettings(allowList, allowHttp, timeout, schedule, relayInterval, probes, secretKeys);
    }

    public WebhookSettings withRelayInterval(Duration interval) {
        return new WebhookSettings(allowList, allowHttp, timeout, retrySchedule, interval, probes, secretKeys);
    }

    public WebhookSettings withProbes(ProbeSchedule schedule) {
        return new WebhookSettings(allowList, allowHttp, timeout, retrySchedule, relayInterval, schedule, secretKeys);
    }

    @Override
    public String toString() {
        return "WebhookSettings[allow=" + allowList.spec() + ", allowHttp=" + allowHttp + ", timeout="
                + timeout.toMillis() + " ms, retrySchedule=" + retrySchedule.spec() + ", relayInterval="
                + relayInterval.toMillis() + " ms, probes=" + probes.initial().toMillis() + " ms doubling to "
                + probes.max().toMillis() + " ms, secretKeys=" + secretKeys + "]";
    }
}
