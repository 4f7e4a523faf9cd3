package io.keywatch.api.alerts;

import io.keywatch.api.input.CursorCodec;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a page of alerts ended: the (detectedAt, id) of its last item. Clients see it as an opaque base64url
 * token ({@link CursorCodec}); an edited or truncated token fails loudly instead of silently skipping alerts.
 */
public record AlertCursor(Instant detectedAt, String id) {

    private static final String VERSION = "v1";

    public AlertCursor {
        Objects.requireNonNull(detectedAt, "detectedAt");
        Objects.requireNonNull(id, "id");
    }

    public String encode() {
        return CursorCodec.encode(VERSION, detectedAt.toString(), id);
    }

    /** Reads a token made by {@link #encode()}; throws {@link IllegalArgumentException} for anything else. */
    public static AlertCursor decode(String token) {
        String[] parts = CursorCodec.decode(token, VERSION, 2);
        return new AlertCursor(CursorCodec.instant(parts[0]), parts[1]);
    }
}
