package io.keywatch.api.keys;

import io.keywatch.api.http.CursorCodec;

/** Where a page of keys ended (its last key id), as an opaque token. */
public final class KeyCursor {

    private static final String VERSION = "k1";

    private KeyCursor() {
    }

    public static String encode(String keyId) {
        return CursorCodec.encode(VERSION, keyId);
    }

    /** The key id in a token made by {@link #encode}; throws {@link IllegalArgumentException} for anything else. */
    public static String decode(String token) {
        String keyId = CursorCodec.decode(token, VERSION, 1)[0];
        if (keyId.isEmpty()) {
            throw new IllegalArgumentException("cursor is not valid: pass the nextCursor of a previous response unchanged");
        }
        return keyId;
    }
}
