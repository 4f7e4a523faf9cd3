package io.keywatch.standalone;

import java.security.SecureRandom;
import java.util.Base64;

/** A fresh admin token for a standalone started without {@code KEYWATCH_ADMIN_TOKEN}. */
final class AdminToken {

    private AdminToken() {
    }

    static String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "kw_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
