package io.keywatch.events.secrets;

import java.util.Optional;

/**
 * The kinds of secret {@link SecretDetector} recognizes. Only the label ever leaves keywatch's memory (in an alert, a
 * fingerprint or an error message), never the value.
 */
public enum SecretFormat {
    /** Stripe secret key: {@code sk_live_} or {@code sk_test_} and at least 16 letters or digits. */
    STRIPE_SECRET_KEY("stripe-secret-key"),
    /** Stripe restricted key: {@code rk_live_} or {@code rk_test_} and at least 16 letters or digits. */
    STRIPE_RESTRICTED_KEY("stripe-restricted-key"),
    /**
     * GitHub token: {@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_} or {@code ghr_} and 36 (or more) letters or
     * digits; or a fine-grained {@code github_pat_} token (82 letters, digits or underscores after the prefix).
     */
    GITHUB_TOKEN("github-token"),
    /** Slack token: {@code xoxb-}, {@code xoxp-}, {@code xoxa-}, {@code xoxr-}, {@code xoxs-} or {@code xapp-}. */
    SLACK_TOKEN("slack-token"),
    /** Slack incoming-webhook URL: {@code https://hooks.slack.com/services/...} (or workflows, triggers). */
    SLACK_WEBHOOK_URL("slack-webhook-url"),
    /** AWS secret access key: 40 characters of the base64 alphabet, mixed case and digits. */
    AWS_SECRET_ACCESS_KEY("aws-secret-access-key"),
    /** Google API key: {@code AIza} and 35 letters, digits, {@code -} or {@code _}. */
    GOOGLE_API_KEY("google-api-key"),
    /** A PEM or PGP private-key block: {@code -----BEGIN ... PRIVATE KEY...}. */
    PRIVATE_KEY("private-key"),
    /** A JSON Web Token: three base64url segments, the header starting {@code eyJ}. */
    JWT("jwt"),
    /** None of the above, but long and random-looking: see {@link SecretDetector} for the thresholds. */
    HIGH_ENTROPY("high-entropy"),
    /** keywatch's own credentials: a named API token {@code kw_<id>_<secret>} or a webhook signing secret {@code whsec_}. */
    KEYWATCH_SECRET("keywatch-secret");

    private static final SecretFormat[] VALUES = values();

    private final String label;

    SecretFormat(String label) {
        this.label = label;
    }

    /** The stable kebab-case name used in fingerprints, alerts and error messages, e.g. {@code stripe-secret-key}. */
    public String label() {
        return label;
    }

    /** The format with this label, if any. */
    public static Optional<SecretFormat> fromLabel(String label) {
        for (SecretFormat format : VALUES) {
            if (format.label.equals(label)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
