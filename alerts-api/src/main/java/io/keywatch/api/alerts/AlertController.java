package io.keywatch.api.alerts;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.keywatch.api.http.RequestParams;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/** {@code GET /api/v1/alerts} (filtered, keyset-paged, newest first) and {@code GET /api/v1/alerts/{id}}. */
public final class AlertController {

    private final AlertStore store;

    public AlertController(AlertStore store) {
        this.store = store;
    }

    public void list(Context ctx) {
        String keyId = RequestParams.optional(ctx, "keyId");
        AlertRule rule = RequestParams.parsed(ctx, "rule", AlertController::parseRule);
        Severity severity = RequestParams.parsed(ctx, "severity", Severity::parse);
        AlertStatus status = RequestParams.parsed(ctx, "status", AlertStatus::parse);
        Instant since = RequestParams.instantParam(ctx, "since");
        Instant until = RequestParams.instantParam(ctx, "until");
        int limit = RequestParams.intParam(ctx, "limit", AlertQuery.DEFAULT_LIMIT, 1, AlertQuery.MAX_LIMIT);
        AlertCursor cursor = RequestParams.parsed(ctx, "cursor", AlertCursor::decode);
        AlertQuery query;
        try {
            query = new AlertQuery(keyId, rule, severity, status, since, until, limit, cursor);
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        ctx.json(store.search(query));
    }

    public void get(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        ctx.json(store.find(id).orElseThrow(() -> new NotFoundResponse("no alert with id '" + id + "'")));
    }

    private static AlertRule parseRule(String value) {
        try {
            return AlertRule.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown rule '" + value + "', expected one of "
                    + Arrays.toString(AlertRule.values()));
        }
    }
}
