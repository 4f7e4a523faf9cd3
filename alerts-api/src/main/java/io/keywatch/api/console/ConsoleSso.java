package io.keywatch.api.console;

import io.keywatch.api.auth.oidc.OidcSettings;
import io.keywatch.api.auth.oidc.ProviderDiscovery;
import io.keywatch.api.auth.oidc.ProviderDiscovery.DiscoveryException;
import io.keywatch.api.auth.oidc.ProviderEndpoints;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console's sign-in screen needs for SSO: its client settings and the issuer's authorization and token
 * endpoints. The route that serves this is public, so a request never waits on the issuer: one background thread
 * discovers at {@link #start()}, again {@link #RETRY_AFTER_FAILURE} after a failure and every {@link #REFRESH}
 * otherwise, and requests only read what it found. Discovering at start also puts the token endpoint's origin in the
 * Content-Security-Policy of the first page (the return page {@code /?code=…} included) without anyone having asked
 * for the configuration.
 */
public final class ConsoleSso implements AutoCloseable {

    static final Duration REFRESH = Duration.ofHours(1);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
    /** Shown until the first discovery finished (the console asks again shortly). */
    static final String STARTING = "SSO is starting: try again in a moment";
    /** Shown publicly when discovery failed; the detail (addresses, exceptions) goes to the log only. */
    static final String DISCOVERY_FAILED = "SSO unavailable: the identity provider's discovery failed";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSso.class);

    /** What the console is told: off, on with the endpoints, or on but unusable (with a public reason). */
    public sealed interface State {
    }

    public record Off() implements State {
    }

    public record Ready(String issuer, String clientId, String scopes, ProviderEndpoints endpoints) implements State {
    }

    /**
     * On but unusable now.
     *
     * @param error    a fixed public text (never the discovery URL or an exception)
     * @param starting whether the first discovery has not finished yet (the console retries shortly)
     */
    public record Unavailable(String issuer, String clientId, String scopes, String error, boolean starting)
            implements State {
    }

    /** Asks the issuer; the real one is {@link ProviderDiscovery#endpoints()}. */
    @FunctionalInterface
    interface Discovery {
        ProviderEndpoints endpoints() throws DiscoveryException;
    }

    private final OidcSettings oidc;
    private final ConsoleSsoSettings client;
    private final Discovery discovery;
    private volatile State state;
    /** The single discovery thread; null until {@link #start()} (and always when off). */
    private ScheduledExecutorService scheduler;

    ConsoleSso(OidcSettings oidc, ConsoleSsoSettings client, Discovery discovery) {
        this.oidc = oidc;
        this.client = client;
        this.discovery = discovery;
        this.state = enabled() ? new Unavailable(oidc.issuer(), client.clientId(), client.scopes(), STARTING, true)
                : new Off();
    }

    /** The console's SSO as the settings ask: off unless both the issuer and the console's client id are set. */
    public static ConsoleSso fromSettings(OidcSettings oidc, ConsoleSsoSettings client) {
        if (!oidc.enabled() || !client.enabled()) {
            return off();
        }
        ProviderDiscovery discovery = ProviderDiscovery.fromSettings(oidc);
        return new ConsoleSso(oidc, client, discovery::endpoints);
    }

    public static ConsoleSso off() {
        return new ConsoleSso(OidcSettings.DISABLED, ConsoleSsoSettings.DISABLED, () -> {
            throw new IllegalStateException("off");
        });
    }

    private boolean enabled() {
        return oidc.enabled() && client.enabled();
    }

    /** Starts discovering in the background and returns at once (nothing to do when off). */
    public synchronized ConsoleSso start() {
        if (enabled() && scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "console-sso-discovery");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.execute(this::discoverAndReschedule);
        }
        return this;
    }

    private void discoverAndReschedule() {
        Duration next;
        try {
            next = refresh();
        } catch (RuntimeException e) {
            // refresh() catches what discovery throws; this is a bug, and the thread must keep going regardless
            LOG.error("Console SSO discovery failed unexpectedly", e);
            next = RETRY_AFTER_FAILURE;
        }
        try {
            scheduler.schedule(this::discoverAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Console SSO discovery stopped (closing)");
        }
    }

    /** The state now, as last discovered: never waits on the network. */
    public State state() {
        return state;
    }

    /**
     * Asks the issuer once, on the calling thread (the background thread, or a test), and keeps the answer.
     *
     * @return how long until the next ask
     */
    Duration refresh() {
        if (!enabled()) {
            return REFRESH;
        }
        try {
            state = new Ready(oidc.issuer(), client.clientId(), client.scopes(), discovery.endpoints());
            return REFRESH;
        } catch (DiscoveryException | RuntimeException e) {
            // the message is ours and quotes the issuer's strings escaped (ProviderDiscovery); the log escapes too
            LOG.warn("Console SSO unavailable: {}", e.getMessage());
            // a failed refresh keeps the endpoints that worked: an issuer's blip must not break sign-ins under way
            // (the policy of the page they return to must still allow the token endpoint)
            if (!(state instanceof Ready)) {
                state = new Unavailable(oidc.issuer(), client.clientId(), client.scopes(), DISCOVERY_FAILED, false);
            }
            return RETRY_AFTER_FAILURE;
        }
    }

    /**
     * The token endpoint's origin as last discovered (read on every answer, for the Content-Security-Policy); empty
     * until the first discovery succeeded.
     */
    public Optional<String> tokenOrigin() {
        return state instanceof Ready ready ? Optional.of(ready.endpoints().tokenOrigin()) : Optional.empty();
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
