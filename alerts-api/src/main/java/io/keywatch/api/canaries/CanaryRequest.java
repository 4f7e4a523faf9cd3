package io.keywatch.api.canaries;

import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.input.JsonFields;
import io.keywatch.api.keys.KeyMetadataParser;
import io.keywatch.api.keys.KeyRegistration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/keys/canaries}, bound by {@code JsonBodies.bind}: where the decoy is planted
 * (required), its owner, service and scopes as in the registry, and the id's {@code prefix} instead of the learned
 * one.
 */
public record CanaryRequest(String plantedAt, String owner, String service, List<String> scopes, String prefix) {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    public CanaryRequest {
        prefix = JsonFields.checkedText("prefix", prefix, CanaryShape.MAX_PREFIX);
        if (prefix != null && !PREFIX.matcher(prefix).matches()) {
            throw new InvalidInputException("prefix must be 1 to 32 letters, digits, '_' or '-', e.g. pk_live_");
        }
        plantedAt = JsonFields.checkedText("plantedAt", plantedAt, KeyMetadataParser.MAX_TEXT);
        if (plantedAt == null) {
            throw new InvalidInputException("plantedAt is required: where the decoy is planted, e.g. "
                    + "github.com/acme/old-infra/.env");
        }
    }

    /** The canary's registry entry, as {@code PUT /api/v1/keys/{keyId}} would take it. */
    KeyRegistration registration() {
        return new KeyRegistration(null, owner, service, scopes, null, null, null, null, null, null, null,
                Boolean.TRUE, plantedAt);
    }
}
