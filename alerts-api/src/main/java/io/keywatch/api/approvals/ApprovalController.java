package io.keywatch.api.approvals;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.keywatch.api.http.Actors;
import io.keywatch.api.http.JsonBodies;
import io.keywatch.api.http.RequestParams;
import io.keywatch.api.input.InputText;
import java.time.Clock;
import java.util.Map;

/**
 * Four eyes over HTTP: {@code POST /api/v1/keys/{keyId}/reinstate} (202, a pending request) while four eyes are on,
 * {@code GET /api/v1/approvals} ({@code ?status}), {@code GET /api/v1/approvals/{id}}, and
 * {@code POST /api/v1/approvals/{id}/approve} / {@code .../deny} ({@code {"note":"..."}}, optional).
 */
public final class ApprovalController {

    static final int LIST_LIMIT = 500;
    private static final String REASON_EXAMPLE = "{\"reason\":\"rotated; the leak was a false alarm\"}";
    private static final String NOTE_EXAMPLE = "{\"note\":\"checked with the key's owner\"}";

    private final FourEyes fourEyes;
    private final ApprovalStore store;
    private final Clock clock;

    public ApprovalController(FourEyes fourEyes, ApprovalStore store, Clock clock) {
        this.fourEyes = fourEyes;
        this.store = store;
        this.clock = clock;
    }

    public boolean fourEyes() {
        return fourEyes.enabled();
    }

    /** 202 with the pending request; 404 for a key keywatch has no row for, 409 for one that is not revoked. */
    public void requestReinstatement(Context ctx) {
        String keyId = RequestParams.keyId("keyId", RequestParams.idParam(ctx, "keyId"));
        var actor = Actors.context(ctx);
        String reason = JsonBodies.bind(ctx, ReinstatementReason.class, REASON_EXAMPLE).reason();
        ApprovalRequest request = fourEyes.requestReinstatement(keyId, reason, actor).orElseThrow(() ->
                new NotFoundResponse("keywatch has no revocation or registry entry for a key with that id"));
        ctx.status(HttpStatus.ACCEPTED).json(request);
    }

    public void list(Context ctx) {
        ApprovalStatus status = RequestParams.parsed(ctx, "status", ApprovalStatus::parse);
        ctx.json(Map.of("items", store.list(status, LIST_LIMIT, clock.instant())));
    }

    public void get(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        ctx.json(store.find(id, clock.instant()).orElseThrow(() -> notFound(id)));
    }

    public void approve(Context ctx) {
        decide(ctx, true);
    }

    public void deny(Context ctx) {
        decide(ctx, false);
    }

    private void decide(Context ctx, boolean approve) {
        String id = RequestParams.idParam(ctx, "id");
        var actor = Actors.context(ctx);
        String note = JsonBodies.bindOptional(ctx, DecisionNote.class, NOTE_EXAMPLE).note();
        ApprovalRequest request = (approve ? fourEyes.approve(id, note, actor) : fourEyes.deny(id, note, actor))
                .orElseThrow(() -> notFound(id));
        ctx.json(request);
    }

    private static NotFoundResponse notFound(String id) {
        return new NotFoundResponse("no approval request with id " + InputText.quote(id));
    }
}
