package io.keywatch.api.webhooks;

import io.keywatch.api.alerts.AlertListener;
import io.keywatch.events.Alert;
import io.keywatch.events.KeyMetadata;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * The transactional outbox: writes a webhook event and one delivery per matching subscription on the caller's
 * handle ({@link #on}, {@link OutboxRows}), inside the transaction of the change the event reports, so that the
 * change and its webhooks commit (or roll back) together. After the commit, the in-process {@link RelaySignal}
 * wakes the relay. An event no subscription wants is not stored at all.
 */
public final class WebhookOutbox {

    private final WebhookEvents events;
    private final RelaySignal signal;
    private final Clock clock;

    public WebhookOutbox(WebhookEvents events, RelaySignal signal, Clock clock) {
        this.events = Objects.requireNonNull(events, "events");
        this.signal = Objects.requireNonNull(signal, "signal");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The outbox as written through {@code handle}: the transaction of the change the events report. */
    public OutboxRows on(Handle handle) {
        return new OutboxRows(this, handle);
    }

    /** The intake's listener: {@code alert.created} for the alerts it opens, a chunk at a time. */
    public AlertListener alertListener() {
        return new AlertListener() {
            @Override
            public void opened(Handle handle, Alert alert) {
                on(handle).alertCreated(alert);
            }

            @Override
            public void opened(Handle handle, List<Alert> alerts) {
                on(handle).alertsCreated(alerts);
            }
        };
    }

    /** An event for the outbox and the registry entry of its key (null: none) its subscriptions are matched on. */
    public record Entry(WebhookEvent event, KeyMetadata metadata) {
    }

    /** The {@code revocation.pending} event, for {@link OutboxRows#enqueueAll}. */
    public WebhookEvent revocationPendingEvent(Alert alert, String why, String decisionId, KeyMetadata metadata) {
        WebhookEvent base = events.revocationPending(alert, why);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decisionId", decisionId);
        data.putAll(base.data());
        if (metadata != null) {
            data.put("owner", metadata.owner());
            data.put("service", metadata.service());
        }
        return new WebhookEvent(base.id(), base.type(), base.timestamp(), data);
    }

    WebhookEvents events() {
        return events;
    }

    RelaySignal signal() {
        return signal;
    }

    /** Now, truncated to what PostgreSQL stores. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
