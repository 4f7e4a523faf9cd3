package io.keywatch.api.keys;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.alerts.StoredAlert;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.http.Actors;
import io.keywatch.api.http.JsonBodies;
import io.keywatch.api.http.RequestParams;
import io.keywatch.api.input.InputText;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyStatus;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The key registry over HTTP: {@code GET /api/v1/keys} (filtered, keyset-paged by key id), {@code GET} and
 * {@code PUT /api/v1/keys/{keyId}}, {@code POST /api/v1/keys/{keyId}/revoke} and {@code .../reinstate}.
 */
public final class KeyController {

    static final int RECENT_ALERTS = 20;
    private static final String REASON_EXAMPLE = "{\"reason\":\"leaked in a public repository\"}";

    private final KeyStore keys;
    private final AlertStore alerts;
    private final KeyRevoker revoker;
    private final KeyRegistry registry;

    public KeyController(KeyStore keys, AlertStore alerts, KeyRevoker revoker, KeyRegistry registry) {
        this.keys = keys;
        this.alerts = alerts;
        this.revoker = revoker;
        this.registry = registry;
    }

    /**
     * Lists the keys keywatch has a row for: every registered key and every revoked key. Keys seen only in alerts
     * are not listed (that would mean scanning all alerts); {@code GET /api/v1/keys/{keyId}} still shows them.
     */
    public void list(Context ctx) {
        String owner = RequestParams.optional(ctx, "owner");
        String service = RequestParams.optional(ctx, "service");
        KeyStatus status = RequestParams.parsed(ctx, "status", KeyController::parseStatus);
        String prefix = RequestParams.optional(ctx, "q");
        int limit = RequestParams.intParam(ctx, "limit", KeyQuery.DEFAULT_LIMIT, 1, KeyQuery.MAX_LIMIT);
        String after = RequestParams.parsed(ctx, "cursor", RequestParams.MAX_CURSOR_LENGTH, KeyPage.CURSOR::decode);
        Boolean canary = RequestParams.parsed(ctx, "canary", KeyController::parseBoolean);
        ctx.json(keys.search(new KeyQuery(owner, service, status, prefix, limit, after, canary)));
    }

    /** 404 only when keywatch has neither registered nor acted on the key nor seen an alert for it. */
    public void get(Context ctx) {
        String keyId = RequestParams.keyId("keyId", RequestParams.idParam(ctx, "keyId"));
        Optional<KeyRecord> key = keys.find(keyId);
        List<StoredAlert> recent = alerts.recentForKey(keyId, RECENT_ALERTS);
        if (key.isEmpty() && recent.isEmpty()) {
            // never the key id: the path may hold a secret published by mistake
            throw new NotFoundResponse("keywatch knows nothing about a key with that id");
        }
        ctx.json(KeyView.of(keyId, key.orElse(null), recent));
    }

    /** Creates (201) or replaces (200) the key's registry entry; the key's status is left as it is. */
    public void put(Context ctx) {
        String keyId = RequestParams.keyId("keyId", RequestParams.idParam(ctx, "keyId"));
        KeyMetadataParser.refuseSecretKeyId(keyId);
        Actor actor = Actors.context(ctx);
        // secrets refused before anything else, so that no error message ever echoes a secret's neighbourhood
        KeyRegistration body = JsonBodies.bind(ctx, KeyRegistration.class, KeyMetadataParser.EXAMPLE,
                KeyMetadataParser::refuseSecrets);
        KeyMetadata metadata = KeyMetadataParser.parse(body, keyId);
        Registration registration = registry.register(keyId, metadata, actor.identity(), actor);
        ctx.status(registration.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .json(KeyView.of(keyId, registration.key(), alerts.recentForKey(keyId, RECENT_ALERTS)));
    }

    /** Idempotent: revoking a revoked key returns the existing revocation. */
    public void revoke(Context ctx) {
        String keyId = RequestParams.keyId("keyId", RequestParams.idParam(ctx, "keyId"));
        // a revocation is stored and published too: no secret (or fingerprint of one) as its key id
        KeyMetadataParser.refuseSecretKeyId(keyId);
        Actor actor = Actors.context(ctx);
        String reason = reasonFrom(ctx);
        KeyRecord key = revoker.revoke(keyId, reason, actor.identity(), actor);
        ctx.json(KeyView.of(keyId, key, alerts.recentForKey(keyId, RECENT_ALERTS)));
    }

    /** A revoked key made active again: 404 for a key keywatch has no row for, 409 for a key that is not revoked. */
    public void reinstate(Context ctx) {
        String keyId = RequestParams.keyId("keyId", RequestParams.idParam(ctx, "keyId"));
        Actor actor = Actors.context(ctx);
        String reason = reasonFrom(ctx);
        KeyRecord key = revoker.reinstate(keyId, reason, actor.identity(), actor).orElseThrow(() ->
                new NotFoundResponse("keywatch has no revocation or registry entry for a key with that id"));
        ctx.json(KeyView.of(keyId, key, alerts.recentForKey(keyId, RECENT_ALERTS)));
    }

    /** {@code {"reason":"..."}}: required, free text. */
    private static String reasonFrom(Context ctx) {
        return JsonBodies.bind(ctx, KeyChangeReason.class, REASON_EXAMPLE).reason();
    }

    private static Boolean parseBoolean(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("expected true or false, got "
                    + InputText.quote(value));
        };
    }

    private static KeyStatus parseStatus(String value) {
        try {
            return KeyStatus.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status " + InputText.quote(value)
                    + ", expected ACTIVE or REVOKED");
        }
    }
}
