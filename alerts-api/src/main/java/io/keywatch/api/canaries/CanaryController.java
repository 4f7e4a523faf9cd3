package io.keywatch.api.canaries;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.http.Actors;
import io.keywatch.api.http.JsonBodies;
import io.keywatch.api.keys.KeyMetadataParser;
import io.keywatch.api.keys.KeyView;
import io.keywatch.api.keys.Registration;
import io.keywatch.events.KeyMetadata;
import java.util.List;

/**
 * {@code POST /api/v1/keys/canaries}: mints a canary key id that looks like the real ones and registers it as a
 * canary. Body: {@code plantedAt} (required), {@code owner}, {@code service}, {@code scopes} as in the registry, and
 * {@code prefix} to choose the id's prefix instead of the learned one. 201 with the key as {@code GET} shows it.
 */
public final class CanaryController {

    static final String EXAMPLE = "{\"plantedAt\":\"github.com/acme/old-infra/.env\",\"owner\":\"team-security\","
            + "\"service\":\"billing\",\"scopes\":[\"invoices:read\"]}";

    private final CanaryMinter minter;

    public CanaryController(CanaryMinter minter) {
        this.minter = minter;
    }

    public void mint(Context ctx) {
        Actor actor = Actors.context(ctx);
        // secrets refused first, as for PUT /api/v1/keys/{keyId}: no error message ever echoes a secret's neighbourhood
        CanaryRequest body = JsonBodies.bind(ctx, CanaryRequest.class, EXAMPLE, KeyMetadataParser::refuseSecrets);
        String prefix = body.prefix();
        CanaryShape shape = minter.shape(prefix);
        KeyMetadata metadata = KeyMetadataParser.parse(body.registration(), null);
        Registration registration;
        try {
            registration = minter.mint(shape, metadata, actor);
        } catch (CanaryMinter.SecretShapedCanary e) {
            throw new BadRequestResponse((prefix == null ? "the registry's key ids: " : "prefix: ") + e.getMessage());
        }
        ctx.status(HttpStatus.CREATED).json(KeyView.of(registration.key().keyId(), registration.key(), List.of()));
    }
}
