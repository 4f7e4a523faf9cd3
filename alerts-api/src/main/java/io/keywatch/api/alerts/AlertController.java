package io.keywatch.api.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.http.Actors;
import io.keywatch.api.http.JsonBodies;
import io.keywatch.api.http.RequestParams;
import io.keywatch.api.input.InputText;
import io.keywatch.events.AlertRule;
import io.keywatch.events.EnumNames;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/alerts} (filtered, keyset-paged, newest first), {@code GET /api/v1/alerts/{id}} (with its
 * history), {@code GET /api/v1/alerts/{id}/history}, and the lifecycle: {@code POST .../acknowledge} and
 * {@code POST .../resolve}. Every {@code {id}} may be an alert id or the id of any occurrence folded into it.
 */
public final class AlertController {

    private static final Set<AlertStatus> ACKNOWLEDGEABLE = EnumSet.of(AlertStatus.OPEN);
    private static final Set<AlertStatus> RESOLVABLE = EnumSet.of(AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED);

    private final AlertStore store;
    private final AlertTimelines timelines;
    private final ObjectMapper json;

    public AlertController(AlertStore store, AlertTimelines timelines, ObjectMapper json) {
        this.store = store;
        this.timelines = timelines;
        this.json = json;
    }

    /** {@code view=full} (the default) or {@code view=summary}, the compact list ({@link AlertView}). */
    public void list(Context ctx) {
        AlertView view = RequestParams.parsed(ctx, "view", AlertView::parse);
        AlertQuery query = query(ctx);
        if (view == AlertView.SUMMARY) {
            ctx.json(store.searchSummaries(query));
        } else {
            ctx.json(store.search(query));
        }
    }

    /**
     * The list's query parameters, each validated (a 400 naming the parameter): the list pages with them, the live
     * stream ({@code GET /api/v1/alerts/stream}) filters with them.
     */
    public static AlertQuery query(Context ctx) {
        String keyId = RequestParams.keyId("keyId", RequestParams.optional(ctx, "keyId"));
        AlertRule rule = RequestParams.parsed(ctx, "rule", AlertController::parseRule);
        Severity severity = RequestParams.parsed(ctx, "severity", Severity::parse);
        AlertStatus status = RequestParams.parsed(ctx, "status", AlertStatus::parse);
        Boolean silenced = RequestParams.parsed(ctx, "silenced", AlertController::parseBoolean);
        Instant since = RequestParams.instantParam(ctx, "since");
        Instant until = RequestParams.instantParam(ctx, "until");
        int limit = RequestParams.intParam(ctx, "limit", AlertQuery.DEFAULT_LIMIT, 1, AlertQuery.MAX_LIMIT);
        AlertCursor cursor = RequestParams.parsed(ctx, "cursor", RequestParams.MAX_CURSOR_LENGTH, AlertCursor::decode);
        AlertQuery query;
        try {
            query = new AlertQuery(keyId, rule, severity, status, since, until, limit, cursor, silenced);
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        return query;
    }

    /** The alert with its history embedded. */
    public void get(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        StoredAlert alert = store.find(id).orElseThrow(() -> notFound(id));
        ctx.json(withHistory(alert));
    }

    public void history(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        StoredAlert alert = store.find(id).orElseThrow(() -> notFound(id));
        ctx.json(Map.of("items", store.history(alert.id())));
    }

    /** From the triggering event to the webhook deliveries, each step with its latency ({@link AlertTimelines}). */
    public void timeline(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        ctx.json(timelines.of(id).orElseThrow(() -> notFound(id)));
    }

    /** OPEN → ACKNOWLEDGED; body optional: {@code {"note":"..."}}. */
    public void acknowledge(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        Actor actor = Actors.context(ctx);
        String note = JsonBodies.bindOptional(ctx, AcknowledgeRequest.class, "{\"note\":\"looking into it\"}").note();
        respond(ctx, id, () -> store.transition(id, AlertStatus.ACKNOWLEDGED, ACKNOWLEDGEABLE, actor.identity(),
                note, null, actor));
    }

    /** OPEN or ACKNOWLEDGED → RESOLVED: {@code {"resolution":"false_positive","note":"..."}}. */
    public void resolve(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        Actor actor = Actors.context(ctx);
        String example = "{\"resolution\":\"fixed\",\"note\":\"key rotated\"}";
        ResolveRequest request = JsonBodies.bind(ctx, ResolveRequest.class, example);
        Resolution resolution = request.chosen();
        if (resolution == null) {
            throw new BadRequestResponse("resolution is required, one of " + Resolution.manualNames()
                    + ", e.g. " + example);
        }
        String note = request.note();
        if (resolution == Resolution.OTHER && note == null) {
            throw new BadRequestResponse("note is required when resolution is 'other': say what happened");
        }
        respond(ctx, id, () -> store.transition(id, AlertStatus.RESOLVED, RESOLVABLE, actor.identity(), note,
                resolution, actor));
    }

    private void respond(Context ctx, String id, Supplier<Optional<StoredAlert>> change) {
        StoredAlert alert;
        try {
            alert = change.get().orElseThrow(() -> notFound(id));
        } catch (IllegalTransitionException e) {
            throw new ConflictResponse(e.getMessage());
        }
        ctx.json(withHistory(alert));
    }

    private ObjectNode withHistory(StoredAlert alert) {
        ObjectNode node = json.valueToTree(alert);
        List<AlertHistoryEntry> history = store.history(alert.id());
        node.set("history", json.valueToTree(history));
        return node;
    }

    private static NotFoundResponse notFound(String id) {
        return new NotFoundResponse("no alert with id " + InputText.quote(id));
    }

    public static AlertRule parseRule(String value) {
        return EnumNames.parse(AlertRule.class, "rule", value);
    }

    private static Boolean parseBoolean(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false, got '" + value + "'");
        };
    }
}
