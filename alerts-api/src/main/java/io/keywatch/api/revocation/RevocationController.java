package io.keywatch.api.revocation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.http.Actors;
import io.keywatch.api.http.JsonBodies;
import io.keywatch.api.http.RequestParams;
import java.time.Instant;

/**
 * Revocation decisions and the audit log over HTTP:
 * {@code GET /api/v1/revocations} ({@code ?status&keyId&limit&cursor}), {@code GET /api/v1/revocations/{id}},
 * {@code POST /api/v1/revocations/{id}/approve} and {@code /deny} ({@code {"note":"..."}}, optional), and
 * {@code GET /api/v1/audit} ({@code ?keyId&action&since&until&limit&cursor}).
 */
public final class RevocationController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final RevocationStore store;
    private final RevocationActions actions;
    private final ObjectMapper json;

    public RevocationController(RevocationStore store, RevocationActions actions, ObjectMapper json) {
        this.store = store;
        this.actions = actions;
        this.json = json;
    }

    public void list(Context ctx) {
        DecisionStatus status = RequestParams.parsed(ctx, "status", DecisionStatus::parse);
        String keyId = RequestParams.keyId("keyId", RequestParams.optional(ctx, "keyId"));
        int limit = RequestParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String cursor = RequestParams.cursor(ctx);
        try {
            ctx.json(store.decisions(status, keyId, limit, cursor));
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("cursor: " + e.getMessage());
        }
    }

    public void get(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        ctx.json(store.find(id).orElseThrow(() -> notFound(id)));
    }

    public void approve(Context ctx) {
        answer(ctx, true);
    }

    public void deny(Context ctx) {
        answer(ctx, false);
    }

    private void answer(Context ctx, boolean approve) {
        String id = RequestParams.idParam(ctx, "id");
        Actor actor = Actors.context(ctx);
        String note = JsonBodies.bindOptional(ctx, DecisionAnswer.class, "{\"note\":\"confirmed leak\"}").note();
        ctx.json((approve ? actions.approve(id, actor.identity(), note, actor)
                : actions.deny(id, actor.identity(), note, actor))
                .orElseThrow(() -> notFound(id)));
    }

    public void audit(Context ctx) {
        String keyId = RequestParams.keyId("keyId", RequestParams.optional(ctx, "keyId"));
        AuditAction action = RequestParams.parsed(ctx, "action", AuditAction::parse);
        Instant since = RequestParams.instantParam(ctx, "since");
        Instant until = RequestParams.instantParam(ctx, "until");
        if (since != null && until != null && !since.isBefore(until)) {
            throw new BadRequestResponse("since must be before until");
        }
        int limit = RequestParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String cursor = RequestParams.cursor(ctx);
        try {
            ctx.json(store.audit(new RevocationStore.AuditQuery(keyId, action, since, until, limit, cursor)));
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("cursor: " + e.getMessage());
        }
    }

    private static NotFoundResponse notFound(String id) {
        return new NotFoundResponse("no revocation decision '" + id + "'");
    }
}
