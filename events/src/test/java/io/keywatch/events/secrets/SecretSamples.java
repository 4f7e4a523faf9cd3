package io.keywatch.events.secrets;

import java.util.SplittableRandom;

/**
 * Secret-shaped test values in the providers' documented shapes, built at run time (a prefix and a generated body) so
 * that no real-looking secret is committed verbatim. Deterministic: the same seed gives the same values.
 */
public final class SecretSamples {

    private static final String BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String BASE64 = BASE62 + "+/";
    private static final String BASE64URL = BASE62 + "-_";

    private final SplittableRandom rng;

    public SecretSamples(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    /** A random string of this alphabet, always with an upper-case letter, a lower-case letter and a digit. */
    public String body(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        }
        if (length >= 3 && alphabet.contains("a") && alphabet.contains("A") && alphabet.contains("0")) {
            out.setCharAt(0, 'Q');
            out.setCharAt(1, 'r');
            out.setCharAt(2, '7');
        }
        return out.toString();
    }

    public String base62(int length) {
        return body(BASE62, length);
    }

    public String stripeSecret() {
        return "sk_" + "live_" + base62(24);
    }

    public String stripeTestSecret() {
        return "sk_" + "test_" + base62(99);
    }

    public String stripeRestricted() {
        return "rk_" + "live_" + base62(24);
    }

    public String stripePublishable() {
        return "pk_" + "live_" + base62(24);
    }

    public String github(String kind) {
        return "gh" + kind + "_" + base62(36);
    }

    public String githubFineGrained() {
        return "github_" + "pat_" + "11" + base62(20) + "_" + base62(59);
    }

    public String slack(String prefix) {
        return prefix + "-" + digits(12) + "-" + digits(13) + "-" + base62(24);
    }

    public String slackWebhook() {
        return "https://hooks.slack.com/" + "services/T" + upper(8) + "/B" + upper(8) + "/" + base62(24);
    }

    public String awsSecret() {
        return body(BASE64, 40);
    }

    public String googleApiKey() {
        return "AI" + "za" + body(BASE64URL, 35);
    }

    public String privateKey() {
        return "-----BEGIN " + "RSA PRIVATE KEY-----\n" + body(BASE64, 64) + "\n-----END RSA PRIVATE KEY-----";
    }

    public String jwt() {
        // {"alg":"HS256","typ":"JWT"} and {"sub":"1234567890"}, then a random signature
        return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0" + "." + body(BASE64URL, 43);
    }

    public String highEntropy() {
        return base62(48);
    }

    private String digits(int length) {
        return body("0123456789", length);
    }

    private String upper(int length) {
        return body("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
    }
}
