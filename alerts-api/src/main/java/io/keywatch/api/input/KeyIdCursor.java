package io.keywatch.api.input;


/**
 * Where a page of a list ordered by key id ended (its last key id), as an opaque token. Each list has its own version
 * tag, so a cursor of one list is refused by another.
 */
public final class KeyIdCursor {

    private final String version;

    public KeyIdCursor(String version) {
        this.version = version;
    }

    public String encode(String keyId) {
        return CursorCodec.encode(version, keyId);
    }

    /** The key id in a token made by {@link #encode}; throws {@link IllegalArgumentException} for anything else. */
    public String decode(String token) {
        String keyId = CursorCodec.decode(token, version, 1)[0];
        if (keyId.isEmpty()) {
            throw new IllegalArgumentException("cursor is not valid: pass the nextCursor of a previous response unchanged");
        }
        return keyId;
    }
}
