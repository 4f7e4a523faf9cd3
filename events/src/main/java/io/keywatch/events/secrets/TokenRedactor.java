package io.keywatch.events.secrets;

/**
 * Replaces the secrets inside a free-text field in place: a value holding a private-key block becomes
 * {@code redacted:private-key} as a whole; otherwise each token of it, between delimiter characters, is tested on its
 * own and a secret one is replaced by {@code redacted:<format>}. (Not the whole value as one token: a long path or
 * user agent would look random as a whole.) Tokens shorter than {@link SecretDetector#MIN_LENGTH} are skipped after one
 * comparison, so an ordinary path or user agent costs one pass over its characters and allocates nothing. Linear in
 * the text whatever it holds: tokens are disjoint, each tested in time linear in its length, and the whole text is
 * searched for a private-key block at most once.
 */
public final class TokenRedactor {

    /** What a secret token becomes, given its format and its text. */
    @FunctionalInterface
    public interface Replacement {
        String replace(SecretFormat format, String secret);
    }

    /** What a redacted token or field becomes by default: the format only, never any part of the value. */
    public static String replacement(SecretFormat format) {
        return SecretFingerprinter.PREFIX + format.label();
    }

    /** Delimiters of a URL path ({@code /;?#,}) and, after its {@code ?}, of its query string ({@code &=#;,}). */
    public static TokenRedactor forPath(SecretDetector detector) {
        return new TokenRedactor(detector, "/;?#,", "&=#;,");
    }

    /** Delimiters of a user agent: spaces and {@code ;()[],"'=<>{}}. */
    public static TokenRedactor forUserAgent(SecretDetector detector) {
        return new TokenRedactor(detector, ";()[],\"'=<>{}", null);
    }

    /**
     * Delimiters of an identifier that should have been one token ({@code token:ghp_...}, {@code key=sk_live_...,}):
     * spaces and every punctuation character that no recognized secret format contains.
     */
    public static TokenRedactor forIdentifier(SecretDetector detector) {
        return new TokenRedactor(detector, IDENTIFIER_DELIMITERS, null);
    }

    /** As {@link #forIdentifier}, and also between {@code . / +}: the parts of dotted or slashed text, cut tokens. */
    public static TokenRedactor forWords(SecretDetector detector) {
        return new TokenRedactor(detector, IDENTIFIER_DELIMITERS + "./+", null);
    }

    private static final String IDENTIFIER_DELIMITERS = ";()[],\"'=<>{}:@!#$%&*?^`|~\\";

    private final SecretDetector detector;
    /** Per ASCII character: ends a token; whitespace included. Characters beyond ASCII end one when whitespace. */
    private final boolean[] delimiters;
    private final boolean[] queryDelimiters;

    /**
     * @param delimiters      the characters between tokens
     * @param queryDelimiters the characters between tokens after the first {@code ?} (a URL's query, whose values may
     *                        hold a {@code /}); null for text that is not a URL
     */
    public TokenRedactor(SecretDetector detector, String delimiters, String queryDelimiters) {
        this.detector = detector;
        this.delimiters = table(delimiters);
        this.queryDelimiters = queryDelimiters == null ? null : table(queryDelimiters);
    }

    private static boolean[] table(String characters) {
        boolean[] table = new boolean[128];
        for (int c = 0; c < 128; c++) {
            table[c] = characters.indexOf(c) >= 0 || Character.isWhitespace(c) || Character.isISOControl(c);
        }
        return table;
    }

    private static boolean ends(boolean[] table, char c) {
        return c < 128 ? table[c] : Character.isWhitespace(c);
    }

    /** The text with its secrets replaced by {@code redacted:<format>}; the same instance when it holds none. */
    public String redact(String text) {
        return redact(text, (format, secret) -> replacement(format));
    }

    /** The format of the first secret token in the text (a private-key block anywhere counts), or null. */
    public SecretFormat firstSecret(String text) {
        SecretFormat[] found = new SecretFormat[1];
        redact(text, (format, secret) -> {
            if (found[0] == null) {
                found[0] = format;
            }
            return "";
        });
        return found[0];
    }

    /**
     * The text with each secret token replaced by what {@code replacement} makes of it (a text holding a private-key
     * block: the whole text); the same instance when it holds none (or is null).
     */
    public String redact(String text, Replacement replacement) {
        if (text == null || text.length() < SecretDetector.MIN_LENGTH) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int tokenStart = 0;
        boolean[] current = delimiters;
        int length = text.length();
        int dashes = 0;
        boolean privateKeySearched = false;
        for (int i = 0; i <= length; i++) {
            char c = i < length ? text.charAt(i) : 0;
            // a private-key block spans tokens: looked for in the whole text, once, when five dashes in a row are
            // first seen (once: "-----a" repeated would otherwise rescan the text at every run, quadratic time)
            dashes = c == '-' ? dashes + 1 : 0;
            if (dashes == 5 && !privateKeySearched) {
                privateKeySearched = true;
                if (detector.containsPrivateKey(text)) {
                    return replacement.replace(SecretFormat.PRIVATE_KEY, text);
                }
            }
            boolean end = i == length || ends(current, c);
            if (!end) {
                continue;
            }
            if (i - tokenStart >= SecretDetector.MIN_LENGTH) {
                SecretFormat format = detector.match(text, tokenStart, i);
                if (format != null) {
                    if (out == null) {
                        out = new StringBuilder(length);
                    }
                    out.append(text, copied, tokenStart)
                            .append(replacement.replace(format, text.substring(tokenStart, i)));
                    copied = i;
                }
            }
            if (c == '?' && queryDelimiters != null) {
                current = queryDelimiters;
            }
            tokenStart = i + 1;
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, length).toString();
    }
}
