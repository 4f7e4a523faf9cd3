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
    private final String delimiters;
    private final String queryDelimiters;

    /**
     * @param delimiters      the characters between tokens
     * @param queryDelimiters the characters between tokens after the first {@code ?} (a URL's query, whose values may
     *                        hold a {@code /}); null for text that is not a URL
     */
    TokenRedactor(SecretDetector detector, String delimiters, String queryDelimiters) {
        this.detector = detector;
        this.delimiters = delimiters;
        this.queryDelimiters = queryDelimiters;
    }

    /** The text with its secrets replaced; the same instance when it holds none (or is null). */
    String redact(String text) {
        if (text == null || text.length() < SecretDetector.MIN_LENGTH) {
            return text;
        }
        if (detector.containsPrivateKey(text)) {
            return replacement(SecretFormat.PRIVATE_KEY);
        }
        StringBuilder out = null;
        int copied = 0;
        int tokenStart = 0;
        String current = delimiters;
        int length = text.length();
        for (int i = 0; i <= length; i++) {
            char c = i < length ? text.charAt(i) : 0;
            boolean end = i == length || current.indexOf(c) >= 0 || Character.isWhitespace(c);
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
