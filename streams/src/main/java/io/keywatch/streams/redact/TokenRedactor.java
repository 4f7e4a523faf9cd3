package io.keywatch.streams.redact;

import io.keywatch.events.secrets.SecretDetector;
import io.keywatch.events.secrets.SecretFormat;

/**
 * Replaces the secrets inside a free-text field in place: a value holding a private-key block becomes
 * {@code redacted:private-key} as a whole; otherwise each token of it, between delimiter characters, is tested on its
 * own and a secret one is replaced by {@code redacted:<format>}. (Not the whole value as one token: a long path or
 * user agent would look random as a whole.) Tokens shorter than {@link SecretDetector#MIN_LENGTH} are skipped after one
 * comparison, so an ordinary path or user agent costs one pass over its characters and allocates nothing.
 */
final class TokenRedactor {

    /** What a redacted token or field becomes: the format only, never any part of the value. */
    static String replacement(SecretFormat format) {
        return "redacted:" + format.label();
    }

    private final SecretDetector detector;
    /** Per ASCII character: ends a token; whitespace included. Characters beyond ASCII end one when whitespace. */
    private final boolean[] delimiters;
    private final boolean[] queryDelimiters;

    /**
     * @param delimiters      the characters between tokens
     * @param queryDelimiters the characters between tokens after the first {@code ?} (a URL's query, whose values may
     *                        hold a {@code /}); null for text that is not a URL
     */
    TokenRedactor(SecretDetector detector, String delimiters, String queryDelimiters) {
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

    /** The text with its secrets replaced; the same instance when it holds none (or is null). */
    String redact(String text) {
        if (text == null || text.length() < SecretDetector.MIN_LENGTH) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int tokenStart = 0;
        boolean[] current = delimiters;
        int length = text.length();
        int dashes = 0;
        for (int i = 0; i <= length; i++) {
            char c = i < length ? text.charAt(i) : 0;
            // a private-key block spans tokens: looked for as a whole, and only once five dashes in a row are seen
            dashes = c == '-' ? dashes + 1 : 0;
            if (dashes == 5 && detector.containsPrivateKey(text)) {
                return replacement(SecretFormat.PRIVATE_KEY);
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
                    out.append(text, copied, tokenStart).append(replacement(format));
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
