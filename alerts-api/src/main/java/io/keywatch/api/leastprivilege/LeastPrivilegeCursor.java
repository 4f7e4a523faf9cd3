package io.keywatch.api.leastprivilege;

import io.keywatch.api.http.CursorCodec;

/** Where a page of the least-privilege report ended (its last key id), as an opaque token. */
public final class LeastPrivilegeCursor {

    // not the key list's version: a cursor of one list is refused by the other
    private static final String VERSION = "lp1";

    private LeastPrivilegeCursor() {
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
