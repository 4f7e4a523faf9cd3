package io.keywatch.api.keys;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.alerts.StoredAlert;
import io.keywatch.api.http.RequestParams;
import java.util.List;
import java.util.Optional;

/** {@code GET /api/v1/keys/{keyId}} and {@code POST /api/v1/keys/{keyId}/revoke}. */
public final class KeyController {

    static final int RECENT_ALERTS = 20;
    static final int MAX_REASON_LENGTH = 1_000;
    /** Who a revocation through the API is attributed to; per-person tokens come later. */
    static final String API_ACTOR = "api:admin";

    private final KeyStore keys;
    private final AlertStore alerts;
    private final KeyRevoker revoker;
    private final ObjectMapper json;

    public KeyController(KeyStore keys, AlertStore alerts, KeyRevoker revoker, ObjectMapper json) {
        this.keys = keys;
        this.alerts = alerts;
        this.revoker = revoker;
        this.json = json;
    }

    /** 404 only when keywatch has neither acted on the key nor seen an alert for it. */
    public void get(Context ctx) {
        String keyId = RequestParams.idParam(ctx, "keyId");
        Optional<KeyRecord> key = keys.find(keyId);
        List<StoredAlert> recent = alerts.recentForKey(keyId, RECENT_ALERTS);
        if (key.isEmpty() && recent.isEmpty()) {
            throw new NotFoundResponse("keywatch knows nothing about key '" + keyId + "'");
        }
        ctx.json(KeyView.of(keyId, key.orElse(null), recent));
    }

    /** Idempotent: revoking a revoked key returns the existing revocation. */
    public void revoke(Context ctx) {
        String keyId = RequestParams.idParam(ctx, "keyId");
        String reason = reasonFrom(ctx.body());
        KeyRecord key = revoker.revoke(keyId, reason, API_ACTOR);
        ctx.json(KeyView.of(keyId, key, alerts.recentForKey(keyId, RECENT_ALERTS)));
    }

    private String reasonFrom(String body) {
        String expected = "request body must be a JSON object with a non-blank \"reason\", "
                + "e.g. {\"reason\":\"leaked in a public repository\"}";
        if (body == null || body.isBlank()) {
            throw new BadRequestResponse(expected);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestResponse("request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequestResponse(expected);
        }
        JsonNode reason = root.get("reason");
        if (reason == null || !reason.isTextual() || reason.textValue().isBlank()) {
            throw new BadRequestResponse(expected);
        }
        String text = reason.textValue().strip();
        if (text.length() > MAX_REASON_LENGTH) {
            throw new BadRequestResponse("reason must be at most " + MAX_REASON_LENGTH + " characters, got "
                    + text.length());
        }
        return text;
    }
}
