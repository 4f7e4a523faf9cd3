package io.keywatch.api.webhooks;

import io.keywatch.api.alerts.AlertStore;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises one {@code WEBHOOK_FAILING} alert per failing episode of a subscription, in the transaction that marks it
 * FAILING. The alert's key id is the subscription id; its id is derived from the episode's start, so a replayed
 * transition cannot raise it twice. It is not resolved when the endpoint recovers: it follows the team's alert
 * lifecycle (acknowledge, resolve, or the auto-resolve job after the quiet period).
 */
public final class WebhookFailingAlerts implements EndpointHealthListener {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookFailingAlerts.class);

    private final AlertStore alerts;

    public WebhookFailingAlerts(AlertStore alerts) {
        this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    @Override
    public void failing(org.jdbi.v3.core.Handle handle, FailingEpisode episode) {
        String origin = origin(episode.url());
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("subscriptionId", episode.subscriptionId());
        // the origin only: a URL's path or query may hold the receiver's own token
        evidence.put("endpoint", origin);
        evidence.put("failingSince", episode.since().toString());
        evidence.put("attempts", episode.attempts());
        evidence.put("firstProbeAt", episode.firstProbeAt().toString());
        evidence.put("lastError", episode.lastError());
        Alert alert = new Alert(Alert.idFor(AlertRule.WEBHOOK_FAILING, episode.subscriptionId(), episode.since()),
                AlertRule.WEBHOOK_FAILING, Severity.HIGH, episode.subscriptionId(), episode.since(), episode.since(),
                episode.since(), episode.since(), episode.attempts(), episode.attempts(), null,
                "webhook endpoint " + origin + " failed " + episode.attempts() + " attempts in a row; its deliveries "
                        + "are kept and it is probed until it answers (GET /api/v1/webhooks/"
                        + episode.subscriptionId() + ")", evidence);
        alerts.intake(handle, List.of(alert));
        LOG.warn("Webhook subscription {} ({}) is failing: deliveries kept, probing from {}",
                episode.subscriptionId(), origin, episode.firstProbeAt());
    }

    private static String origin(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (RuntimeException e) {
            return "(unparsable URL)";
        }
    }
}
