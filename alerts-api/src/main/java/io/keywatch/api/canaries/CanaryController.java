package io.keywatch.api.canaries;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/keys/canaries}: mints a canary key id that looks like the real ones and registers it as a
 * canary. Body: {@code plantedAt} (required), {@code owner}, {@code service}, {@code scopes} as in the registry, and
 * {@code prefix} to choose the id's prefix instead of the learned one. 201 with the key as {@code GET} shows it.
 */
public final class CanaryController {

    static final Set<String> FIELDS = Set.of("plantedAt", "owner", "service", "scopes", "prefix");
    static final String EXAMPLE = "{\"plantedAt\":\"github.com/acme/old-infra/.env\",\"owner\":\"team-security\","
            + "\"service\":\"billing\",\"scopes\":[\"invoices:read\"]}";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final CanaryMinter minter;

    public CanaryController(CanaryMinter minter) {
        this.minter = minter;
    }

    public void mint(Context ctx) {
        Actor actor = Actors.context(ctx);
        JsonNode raw = JsonBodies.tree(ctx, EXAMPLE);
        // first, as for PUT /api/v1/keys/{keyId}: no error message ever echoes a secret's neighbourhood
        KeyMetadataParser.refuseSecrets(raw);
        ObjectNode body = JsonBodies.fieldsOf(raw, FIELDS, EXAMPLE).deepCopy();
        String prefix = JsonBodies.text(body, "prefix", CanaryShape.MAX_PREFIX);
        if (prefix != null && !PREFIX.matcher(prefix).matches()) {
            throw new BadRequestResponse("prefix must be 1 to 32 letters, digits, '_' or '-', e.g. pk_live_");
        }
        if (JsonBodies.text(body, "plantedAt", KeyMetadataParser.MAX_TEXT) == null) {
            throw new BadRequestResponse("plantedAt is required: where the decoy is planted, e.g. "
                    + "github.com/acme/old-infra/.env");
        }
        body.remove("prefix");
        body.put("canary", true);
        CanaryShape shape = minter.shape(prefix);
        KeyMetadata metadata = KeyMetadataParser.parse(body, null);
        Registration registration;
        try {
            registration = minter.mint(shape, metadata, actor);
        } catch (CanaryMinter.SecretShapedCanary e) {
            throw new BadRequestResponse((prefix == null ? "the registry's key ids: " : "prefix: ") + e.getMessage());
        }
        ctx.status(HttpStatus.CREATED).json(KeyView.of(registration.key().keyId(), registration.key(), List.of()));
    }
}
