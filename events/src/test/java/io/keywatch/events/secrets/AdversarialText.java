package io.keywatch.events.secrets;

import java.util.List;

/** Texts shaped to make a secret scan slow: repeated fragments that start, but never finish, a secret format. */
public final class AdversarialText {

    private AdversarialText() {
    }

    /** Each shape, repeated up to about {@code chars} characters. */
    public static List<String> shapes(int chars) {
        return List.of(
                repeat("-----a", chars),
                repeat("-----", chars),
                repeat("-----BEGIN ", chars),
                repeat("-----BEGIN PRIVATE", chars),
                repeat("eyJ", chars),
                repeat("eyJ.", chars),
                repeat("sk_live_", chars),
                repeat("sk_live_ ", chars),
                repeat("ghp_", chars),
                repeat("xoxb-", chars),
                repeat("https://hooks.slack.com/services/", chars),
                repeat("aB3+/", chars),
                repeat("aB3 ", chars),
                repeat("\\u0073k_live_", chars));
    }

    private static String repeat(String piece, int chars) {
        return piece.repeat(Math.max(1, chars / piece.length()));
    }
}
