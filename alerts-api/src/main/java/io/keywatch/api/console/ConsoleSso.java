package io.keywatch.api.console;

import io.keywatch.api.auth.oidc.OidcSettings;
import io.keywatch.api.auth.oidc.ProviderDiscovery;
import io.keywatch.api.auth.oidc.ProviderDiscovery.DiscoveryException;
import io.keywatch.api.auth.oidc.ProviderEndpoints;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console's sign-in screen needs for SSO: its client settings and the issuer's authorization and token
 * endpoints, discovered on first ask and kept. The route that serves this is public, so the issuer is asked at most
 * once per {@link #RETRY_AFTER_FAILURE} however many strangers call it, and once per {@link #REFRESH} when it answers.
 */
public final class ConsoleSso {

    static final Duration REFRESH = Duration.ofHours(1);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSso.class);

    /** What the console is told: off, on with the endpoints, or on but unusable (with why). */
    public sealed interface State {
    }

    public record Off() implements State {
    }

    public record Ready(String issuer, String clientId, String scopes, ProviderEndpoints endpoints) implements State {
    }

    public record Unavailable(String issuer, String clientId, String scopes, String error) implements State {
    }

    /** Asks the issuer; the real one is {@link ProviderDiscovery#endpoints()}. */
    @FunctionalInterface
    interface Discovery {
        ProviderEndpoints endpoints() throws DiscoveryException;
    }

    private final OidcSettings oidc;
    private final ConsoleSsoSettings client;
    private final Discovery discovery;
    private final Clock clock;
    private volatile State state;
    private volatile Instant checkedAt = Instant.MIN;
    /** Whether the last ask failed (a kept {@link Ready} is then asked about again after the shorter delay). */
    private volatile boolean lastFailed;

    ConsoleSso(OidcSettings oidc, ConsoleSsoSettings client, Discovery discovery, Clock clock) {
        this.oidc = oidc;
        this.client = client;
        this.discovery = discovery;
        this.clock = clock;
        this.state = enabled() ? null : new Off();
    }

    /** The console's SSO as the settings ask: off unless both the issuer and the console's client id are set. */
    public static ConsoleSso fromSettings(OidcSettings oidc, ConsoleSsoSettings client, Clock clock) {
        if (!oidc.enabled() || !client.enabled()) {
            return off();
        }
        ProviderDiscovery discovery = ProviderDiscovery.fromSettings(oidc);
        return new ConsoleSso(oidc, client, discovery::endpoints, clock);
    }

    public static ConsoleSso off() {
        return new ConsoleSso(OidcSettings.DISABLED, ConsoleSsoSettings.DISABLED, () -> {
            throw new IllegalStateException("off");
        }, Clock.systemUTC());
    }

    private boolean enabled() {
        return oidc.enabled() && client.enabled();
    }

    /** The state now, asking the issuer when the last answer is old (synchronized: one fetch for many callers). */
    public synchronized State state() {
        if (!enabled()) {
            return state;
        }
        Instant now = clock.instant();
        Duration keep = lastFailed ? RETRY_AFTER_FAILURE : REFRESH;
        if (state == null || !now.isBefore(checkedAt.plus(keep))) {
            State fresh = discover();
            lastFailed = !(fresh instanceof Ready);
            // a failed refresh keeps the endpoints that worked: an issuer's blip must not break sign-ins under way
            // (the policy of the page they return to must still allow the token endpoint)
            if (!(lastFailed && state instanceof Ready)) {
                state = fresh;
            }
            checkedAt = now;
        }
        return state;
    }

    private State discover() {
        try {
            return new Ready(oidc.issuer(), client.clientId(), client.scopes(), discovery.endpoints());
        } catch (DiscoveryException | RuntimeException e) {
            // the message is ours and quotes the issuer's strings escaped (ProviderDiscovery)
            LOG.warn("Console SSO unavailable: {}", e.getMessage());
            return new Unavailable(oidc.issuer(), client.clientId(), client.scopes(), e.getMessage());
        }
    }

    /**
     * The token endpoint's origin as last discovered, without asking the issuer (it is read on every answer, for the
     * Content-Security-Policy); empty until the sign-in screen first asked for the configuration.
     */
    public Optional<String> tokenOrigin() {
        return state instanceof Ready ready ? Optional.of(ready.endpoints().tokenOrigin()) : Optional.empty();
    }
}
