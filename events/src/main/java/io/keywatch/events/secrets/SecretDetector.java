package io.keywatch.events.secrets;

import java.util.Optional;

/**
 * Recognizes secrets by the token formats their providers publish, so that one published by mistake where an
 * identifier belongs (a usage event's key id, a registry field) is never stored or shown in clear. It answers with the
 * {@link SecretFormat}, never the value. Stateless and thread-safe.
 *
 * <p>The formats, tested in this order on the whole value (a {@code from, to} range of it):
 * <ul>
 *   <li>a private-key block anywhere in the value ({@code -----BEGIN} ... {@code PRIVATE KEY});</li>
 *   <li>by prefix: Stripe {@code sk_live_ sk_test_} and {@code rk_live_ rk_test_} + 16 or more letters or digits;
 *   GitHub {@code ghp_ gho_ ghu_ ghs_ ghr_} + 36 or more letters or digits, {@code github_pat_} + 40 or more letters,
 *   digits or underscores (82 in GitHub's current format); Slack {@code xoxb- xoxp- xoxa- xoxr- xoxs- xapp-} + 19 or
 *   more letters, digits or dashes; Slack webhook URLs {@code https://hooks.slack.com/services|workflows|triggers/}
 *   + 20 or more; Google {@code AIza} + exactly 35 letters, digits, {@code -} or {@code _}; JWTs: three base64url
 *   segments separated by dots, the header starting {@code eyJ} and at least 10 long, the payload at least 2;</li>
 *   <li>AWS secret access keys: exactly 40 characters of {@code A-Z a-z 0-9 + /}, with upper case, lower case and a
 *   digit, and more than 4 bits of entropy per character (so 40-character hex ids, e.g. SHA-1, are not secrets);</li>
 *   <li>high entropy: at least {@value #HIGH_ENTROPY_MIN_LENGTH} characters of {@code A-Z a-z 0-9 + / = _ -}, with upper
 *   case, lower case and a digit, and at least {@value #HIGH_ENTROPY_MIN_BITS} bits of Shannon entropy per character.
 *   Hex ids (at most 4 bits per character), UUIDs (at most ~4.09), dashed or dotted names (~4.0) and short ids such as
 *   {@code key_live_42} or the simulator's {@code pk_} + 16 stay below; random base62 strings of 40 characters reach
 *   it 99 % of the time, of 32 characters about 85 %.</li>
 * </ul>
 * Not secrets: Stripe publishable keys ({@code pk_live_}, {@code pk_test_}) and AWS access key ids ({@code AKIA...},
 * {@code ASIA...}, 20 characters): both are public identifiers by their providers' own account, and keywatch's key id
 * is exactly where an identifier belongs. Nothing shorter than {@value #MIN_LENGTH} characters is a secret, which
 * keeps the test of an ordinary key id to one length comparison.
 *
 * <p>Every test is a single pass over the characters, no regular expressions: linear time whatever the input.
 */
public final class SecretDetector {

    /** No recognized format is shorter: a value below this length is answered without looking at it. */
    public static final int MIN_LENGTH = 24;
    static final int HIGH_ENTROPY_MIN_LENGTH = 32;
    static final double HIGH_ENTROPY_MIN_BITS = 4.3;
    private static final int AWS_SECRET_LENGTH = 40;
    private static final double AWS_SECRET_MIN_BITS = 4.0;

    /** The format of the whole value, or empty when it looks like no secret. */
    public Optional<SecretFormat> detect(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(match(value, 0, value.length()));
    }

    /** True when the value looks like a secret. */
    public boolean isSecret(String value) {
        return value != null && match(value, 0, value.length()) != null;
    }

    /** The format of {@code text[from, to)}, or null when it looks like no secret. */
    public SecretFormat match(CharSequence text, int from, int to) {
        if (to - from < MIN_LENGTH) {
            return null;
        }
        if (containsPrivateKeyBlock(text, from, to)) {
            return SecretFormat.PRIVATE_KEY;
        }
        switch (text.charAt(from)) {
            case 's':
                if (stripe(text, from, to, 's')) {
                    return SecretFormat.STRIPE_SECRET_KEY;
                }
                break;
            case 'r':
                if (stripe(text, from, to, 'r')) {
                    return SecretFormat.STRIPE_RESTRICTED_KEY;
                }
                break;
            case 'p':
                // Stripe's publishable keys are meant to be public
                if (startsWith(text, from, to, "pk_live_") || startsWith(text, from, to, "pk_test_")) {
                    return null;
                }
                break;
            case 'g':
                if (githubClassic(text, from, to) || githubFineGrained(text, from, to)) {
                    return SecretFormat.GITHUB_TOKEN;
                }
                break;
            case 'x':
                if (slackToken(text, from, to)) {
                    return SecretFormat.SLACK_TOKEN;
                }
                break;
            case 'h':
            case 'H':
                if (slackWebhook(text, from, to)) {
                    return SecretFormat.SLACK_WEBHOOK_URL;
                }
                break;
            case 'k':
            case 'w':
                if (keywatchSecret(text, from, to)) {
                    return SecretFormat.KEYWATCH_SECRET;
                }
                break;
            case 'A':
                if (googleApiKey(text, from, to)) {
                    return SecretFormat.GOOGLE_API_KEY;
                }
                break;
            case 'e':
                if (jwt(text, from, to)) {
                    return SecretFormat.JWT;
                }
                break;
            default:
                break;
        }
        return randomLooking(text, from, to);
    }

    // ---- formats with a prefix

    /** {@code sk_live_}, {@code sk_test_} (or {@code rk_...}) and at least 16 letters or digits. */
    private static boolean stripe(CharSequence text, int from, int to, char first) {
        if (to - from < 8 + 16 || text.charAt(from + 1) != 'k' || text.charAt(from + 2) != '_') {
            return false;
        }
        boolean live = startsWith(text, from + 3, to, "live_");
        boolean test = startsWith(text, from + 3, to, "test_");
        return (live || test) && all(text, from + 8, to, SecretDetector::isBase62);
    }

    /**
     * keywatch's own: {@code kw_} + 8 letters or digits + {@code _} + a 43-character base64url secret (a named API
     * token), or {@code whsec_} + at least 24 base64 characters (a webhook signing secret).
     */
    private static boolean keywatchSecret(CharSequence text, int from, int to) {
        if (startsWith(text, from, to, "kw_") && to - from >= 3 + 8 + 1 + 43 && text.charAt(from + 11) == '_') {
            return all(text, from + 3, from + 11, SecretDetector::isBase62)
                    && all(text, from + 12, from + 55, c -> isBase62(c) || c == '-' || c == '_');
        }
        return startsWith(text, from, to, "whsec_") && to - from >= 6 + 24
                && all(text, from + 6, from + 30, c -> isBase62(c) || c == '+' || c == '/');
    }

    private static boolean githubClassic(CharSequence text, int from, int to) {
        if (to - from < 4 + 36 || text.charAt(from + 1) != 'h' || text.charAt(from + 3) != '_') {
            return false;
        }
        char kind = text.charAt(from + 2);
        return (kind == 'p' || kind == 'o' || kind == 'u' || kind == 's' || kind == 'r')
                && all(text, from + 4, to, SecretDetector::isBase62);
    }

    private static boolean githubFineGrained(CharSequence text, int from, int to) {
        String prefix = "github_pat_";
        return to - from >= prefix.length() + 40 && startsWith(text, from, to, prefix)
                && all(text, from + prefix.length(), to, c -> isBase62(c) || c == '_');
    }

    private static boolean slackToken(CharSequence text, int from, int to) {
        if (to - from < 5 + 19 || text.charAt(from + 4) != '-') {
            return false;
        }
        boolean token = startsWith(text, from, to, "xox") && "bpars".indexOf(text.charAt(from + 3)) >= 0;
        boolean app = startsWith(text, from, to, "xapp");
        return (token || app) && all(text, from + 5, to, c -> isBase62(c) || c == '-');
    }

    private static boolean slackWebhook(CharSequence text, int from, int to) {
        String host = "https://hooks.slack.com/";
        if (!startsWithIgnoreCase(text, from, to, host)) {
            return false;
        }
        int rest = from + host.length();
        for (String kind : new String[] {"services/", "workflows/", "triggers/"}) {
            if (startsWith(text, rest, to, kind)) {
                int body = rest + kind.length();
                return to - body >= 20 && all(text, body, to, c -> isBase62(c) || c == '/' || c == '_' || c == '-');
            }
        }
        return false;
    }

    private static boolean googleApiKey(CharSequence text, int from, int to) {
        return to - from == 4 + 35 && startsWith(text, from, to, "AIza")
                && all(text, from + 4, to, SecretDetector::isBase64Url);
    }

    /** Three base64url segments (the signature may be empty, as in an unsecured JWT), the header starting eyJ. */
    private static boolean jwt(CharSequence text, int from, int to) {
        if (!startsWith(text, from, to, "eyJ")) {
            return false;
        }
        int dots = 0;
        int segmentStart = from;
        int headerLength = 0;
        int payloadLength = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (dots == 0) {
                    headerLength = i - segmentStart;
                } else if (dots == 1) {
                    payloadLength = i - segmentStart;
                } else {
                    return false;
                }
                dots++;
                segmentStart = i + 1;
            } else if (!isBase64Url(c)) {
                return false;
            }
        }
        return dots == 2 && headerLength >= 10 && payloadLength >= 2;
    }

    // ---- formats without a prefix

    /** AWS secret access keys, then the generic high-entropy test; both only on upper, lower and digit mixes. */
    private static SecretFormat randomLooking(CharSequence text, int from, int to) {
        int length = to - from;
        if (length != AWS_SECRET_LENGTH && length < HIGH_ENTROPY_MIN_LENGTH) {
            return null;
        }
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        boolean base64Only = true;
        boolean hexOnly = true;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                upper = true;
                hexOnly &= c <= 'F';
            } else if (c >= 'a' && c <= 'z') {
                lower = true;
                hexOnly &= c <= 'f';
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '=' || c == '_' || c == '-') {
                base64Only = false;
                hexOnly &= c == '-';
            } else if (c == '+' || c == '/') {
                hexOnly = false;
            } else {
                return null;
            }
        }
        // hex ids, in either case or both, and UUIDs are identifiers however random
        if (!upper || !lower || !digit || hexOnly) {
            return null;
        }
        // only now the counts (a second pass): most identifiers have left by here without allocating
        int[] counts = new int[128];
        for (int i = from; i < to; i++) {
            counts[text.charAt(i)]++;
        }
        double bits = entropyBits(counts, length);
        if (length == AWS_SECRET_LENGTH && base64Only && bits > AWS_SECRET_MIN_BITS) {
            return SecretFormat.AWS_SECRET_ACCESS_KEY;
        }
        if (length >= HIGH_ENTROPY_MIN_LENGTH && bits >= HIGH_ENTROPY_MIN_BITS) {
            return SecretFormat.HIGH_ENTROPY;
        }
        return null;
    }

    /** Shannon entropy in bits per character of a text with these character counts. */
    static double entropyBits(int[] counts, int length) {
        double sum = 0;
        for (int count : counts) {
            if (count > 0) {
                sum += count * Math.log(count);
            }
        }
        return (Math.log(length) - sum / length) / Math.log(2);
    }

    /**
     * Whether a private-key block starts anywhere in the text: the one format with spaces and line breaks inside, which
     * a test of the text's tokens one by one would miss.
     */
    public boolean containsPrivateKey(CharSequence text) {
        return text != null && containsPrivateKeyBlock(text, 0, text.length());
    }

    private static boolean containsPrivateKeyBlock(CharSequence text, int from, int to) {
        int begin = indexOf(text, from, to, "-----BEGIN ");
        return begin >= 0 && indexOf(text, begin, to, "PRIVATE KEY") >= 0;
    }

    // ---- helpers: each a single pass

    /** The index of {@code needle} in {@code text[from, to)}, or -1. Needles are short constants: O(n). */
    private static int indexOf(CharSequence text, int from, int to, String needle) {
        int last = to - needle.length();
        char first = needle.charAt(0);
        for (int i = from; i <= last; i++) {
            if (text.charAt(i) == first && startsWith(text, i, to, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(CharSequence text, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(from + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(CharSequence text, int from, int to, String lowerPrefix) {
        if (to - from < lowerPrefix.length()) {
            return false;
        }
        for (int i = 0; i < lowerPrefix.length(); i++) {
            char c = text.charAt(from + i);
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (lower != lowerPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private interface CharTest {
        boolean test(char c);
    }

    private static boolean all(CharSequence text, int from, int to, CharTest test) {
        for (int i = from; i < to; i++) {
            if (!test.test(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBase62(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static boolean isBase64Url(char c) {
        return isBase62(c) || c == '-' || c == '_';
    }
}
