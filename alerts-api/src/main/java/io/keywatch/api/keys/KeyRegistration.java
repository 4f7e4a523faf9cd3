package io.keywatch.api.keys;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.input.InputInstants;
import io.keywatch.api.input.JsonFields;
import io.keywatch.api.input.KeyIdInput;
import java.time.Instant;
import java.util.List;

/**
 * The body of {@code PUT /api/v1/keys/{keyId}} (and, built by the canary controller, of a canary's registration),
 * bound by {@code JsonBodies.bind}: only these fields, each of its JSON type. The single strings are checked here;
 * {@link KeyMetadataParser} checks the rest and the fields against each other. {@code rateLimitPerMinute} and
 * {@code thresholds} stay JSON so that their messages say what a valid value is ("a positive integer", "a number"
 * for a named threshold) rather than what Java type it binds to.
 */
public record KeyRegistration(String keyId, String owner, String service, List<String> scopes, String createdAt,
                              String expiresAt, JsonNode rateLimitPerMinute, Boolean autoRevoke,
                              List<String> allowedCountries, List<String> allowedCidrs, JsonNode thresholds,
                              Boolean canary, String plantedAt) {


    public KeyRegistration {
        keyId = KeyIdInput.check("keyId", JsonFields.checkedText("keyId", keyId, KeyIdInput.MAX_ID_LENGTH));
        owner = JsonFields.checkedText("owner", owner, KeyMetadataParser.MAX_TEXT);
        service = JsonFields.checkedText("service", service, KeyMetadataParser.MAX_TEXT);
        createdAt = JsonFields.checkedInstant("createdAt", createdAt);
        expiresAt = JsonFields.checkedInstant("expiresAt", expiresAt);
        plantedAt = JsonFields.checkedText("plantedAt", plantedAt, KeyMetadataParser.MAX_TEXT);
    }

    /** {@code createdAt} as an instant, null when absent; the constructor has checked it. */
    public Instant created() {
        return createdAt == null ? null : InputInstants.require("createdAt", createdAt);
    }

    /** {@code expiresAt} as an instant, null when absent; the constructor has checked it. */
    public Instant expires() {
        return expiresAt == null ? null : InputInstants.require("expiresAt", expiresAt);
    }
}
