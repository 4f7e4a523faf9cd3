package io.keywatch.events.secrets;

/**
 * Finds and replaces secrets anywhere in a text of unknown shape (a key id that should have been one token, an error
 * message that quotes a value, a record value): the text as a whole, then its tokens between spaces, quotes and
 * brackets (URLs, JWTs), then between any punctuation ({@code key=sk_live_...}, {@code token:ghp_...}), then also
 * between {@code . / +} (a token cut and followed by "..."). Each pass is linear in the text (see
 * {@link TokenRedactor}: its tokens are disjoint and it searches for a private-key block once), so a redaction costs
 * four linear passes whatever the text. Stateless and thread-safe.
 */
public final class SecretText {

    private final SecretDetector detector;
    private final TokenRedactor wide;
    private final TokenRedactor narrow;
    private final TokenRedactor words;

    public SecretText(SecretDetector detector) {
        this.detector = detector;
        this.wide = TokenRedactor.forUserAgent(detector);
        this.narrow = TokenRedactor.forIdentifier(detector);
        this.words = TokenRedactor.forWords(detector);
    }

    /** The format of the text as a whole when it is a secret, else of the first secret token in it; or null. */
    public SecretFormat firstSecret(String text) {
        if (text == null || text.length() < SecretDetector.MIN_LENGTH) {
            return null;
        }
        SecretFormat whole = detector.match(text, 0, text.length());
        if (whole != null) {
            return whole;
        }
        SecretFormat found = wide.firstSecret(text);
        if (found == null) {
            found = narrow.firstSecret(text);
        }
        return found != null ? found : words.firstSecret(text);
    }

    /** The text with every secret (as a whole, or token) replaced by {@code redacted:<format>}. */
    public String redact(String text) {
        return redact(text, (format, secret) -> TokenRedactor.replacement(format));
    }

    /** The text with every secret (as a whole, or token) replaced by what {@code replacement} makes of it. */
    public String redact(String text, TokenRedactor.Replacement replacement) {
        if (text == null || text.length() < SecretDetector.MIN_LENGTH) {
            return text;
        }
        SecretFormat whole = detector.match(text, 0, text.length());
        if (whole != null) {
            return replacement.replace(whole, text);
        }
        return words.redact(narrow.redact(wide.redact(text, replacement), replacement), replacement);
    }
}
