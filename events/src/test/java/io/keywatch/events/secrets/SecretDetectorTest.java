package io.keywatch.events.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretDetectorTest {

    private final SecretDetector detector = new SecretDetector();
    private final SecretSamples samples = new SecretSamples(42);

    private SecretFormat format(String value) {
        return detector.detect(value).orElse(null);
    }

    @Test
    void recognizesStripeSecretAndRestrictedKeys() {
        assertThat(format(samples.stripeSecret())).isEqualTo(SecretFormat.STRIPE_SECRET_KEY);
        assertThat(format(samples.stripeTestSecret())).isEqualTo(SecretFormat.STRIPE_SECRET_KEY);
        assertThat(format(samples.stripeRestricted())).isEqualTo(SecretFormat.STRIPE_RESTRICTED_KEY);
        assertThat(format("rk_" + "test_" + samples.base62(30))).isEqualTo(SecretFormat.STRIPE_RESTRICTED_KEY);
    }

    @Test
    void leavesStripePublishableKeysAlone() {
        assertThat(format(samples.stripePublishable())).isNull();
        assertThat(format("pk_" + "test_" + samples.base62(99))).isNull();
    }

    @Test
    void recognizesGithubTokens() {
        for (String kind : new String[] {"p", "o", "u", "s", "r"}) {
            assertThat(format(samples.github(kind))).as(kind).isEqualTo(SecretFormat.GITHUB_TOKEN);
        }
        assertThat(format(samples.githubFineGrained())).isEqualTo(SecretFormat.GITHUB_TOKEN);
        assertThat(samples.githubFineGrained()).hasSize(93);
        // a different letter after gh is no GitHub token (and too regular to be anything else)
        assertThat(format("ghx_" + "a".repeat(36))).isNull();
    }

    @Test
    void recognizesSlackTokensAndWebhooks() {
        for (String prefix : new String[] {"xoxb", "xoxp", "xoxa", "xoxr", "xoxs", "xapp"}) {
            assertThat(format(samples.slack(prefix))).as(prefix).isEqualTo(SecretFormat.SLACK_TOKEN);
        }
        assertThat(format(samples.slackWebhook())).isEqualTo(SecretFormat.SLACK_WEBHOOK_URL);
        assertThat(format("https://hooks.slack.com/" + "workflows/" + samples.base62(30)))
                .isEqualTo(SecretFormat.SLACK_WEBHOOK_URL);
        assertThat(format("https://hooks.slack.com/services/")).isNull();
    }

    @Test
    void recognizesAwsSecretAccessKeysButNotAccessKeyIdsOrHexIds() {
        assertThat(format(samples.awsSecret())).isEqualTo(SecretFormat.AWS_SECRET_ACCESS_KEY);
        // AWS's documented example shape: 40 characters of base64 with slashes
        assertThat(format("wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY")).isEqualTo(SecretFormat.AWS_SECRET_ACCESS_KEY);
        assertThat(format("AKIA" + "IOSFODNN7EXAMPLE")).isNull();
        assertThat(format("ASIA" + "Y34FZKBOKMUTVV7A")).isNull();
        assertThat(format("9fceb02d0ae598e95dc970b74767f19372d61af8")).as("git commit id").isNull();
        assertThat(format("9FCEB02D0AE598E95dc970b74767f19372d61af8")).as("mixed-case hex").isNull();
    }

    @Test
    void recognizesGoogleApiKeys() {
        assertThat(format(samples.googleApiKey())).isEqualTo(SecretFormat.GOOGLE_API_KEY);
        assertThat(format("AIza" + samples.base62(34))).as("one short").isNotEqualTo(SecretFormat.GOOGLE_API_KEY);
    }

    @Test
    void recognizesPrivateKeyBlocks() {
        assertThat(format(samples.privateKey())).isEqualTo(SecretFormat.PRIVATE_KEY);
        assertThat(format("-----BEGIN " + "OPENSSH PRIVATE KEY-----")).isEqualTo(SecretFormat.PRIVATE_KEY);
        assertThat(format("-----BEGIN " + "PGP PRIVATE KEY BLOCK-----")).isEqualTo(SecretFormat.PRIVATE_KEY);
        assertThat(format("-----BEGIN CERTIFICATE-----\nMIIB")).isNull();
        assertThat(format("-----BEGIN PUBLIC KEY-----\nMIIBIjANBg")).isNull();
    }

    @Test
    void recognizesJwts() {
        assertThat(format(samples.jwt())).isEqualTo(SecretFormat.JWT);
        // unsecured: empty signature
        assertThat(format("eyJhbGciOiJub25lIn0" + ".eyJzdWIiOiIxIn0.")).isEqualTo(SecretFormat.JWT);
        assertThat(format("eyJhbGciOiJub25lIn0" + ".eyJzdWIiOiIxIn0.a.b")).isNull();
    }

    @Test
    void recognizesLongRandomStringsAsHighEntropy() {
        assertThat(format(samples.highEntropy())).isEqualTo(SecretFormat.HIGH_ENTROPY);
        SplittableRandom rng = new SplittableRandom(7);
        int flagged = 0;
        for (int i = 0; i < 1000; i++) {
            if (detector.isSecret(new SecretSamples(rng.nextLong()).base62(48))) {
                flagged++;
            }
        }
        assertThat(flagged).isGreaterThan(990);
    }

    @Test
    void leavesOrdinaryIdentifiersAlone() {
        assertThat(format("key_live_42")).isNull();
        assertThat(format("pk_" + "a8Xk2mQ9rT4vW7zB")).as("simulator key id").isNull();
        assertThat(format("billing-service-production-europe-west-1")).isNull();
        assertThat(format("org.example.service.payments.v2.Refunds")).isNull();
        assertThat(format("team-billing-invoices-reader-2026-03-02")).isNull();
        assertThat(format("Mozilla/5.0 (Windows NT 10.0; Win64; x64)")).isNull();
        assertThat(format("redacted:stripe-secret-key:0123456789abcdef0123456789abcdef")).isNull();
        assertThat(format("")).isNull();
        assertThat(detector.detect(null)).isEmpty();
        for (int i = 0; i < 1000; i++) {
            UUID uuid = UUID.randomUUID();
            assertThat(format(uuid.toString())).isNull();
            String hex32 = uuid.toString().replace("-", "");
            assertThat(format(hex32)).isNull();
            assertThat(format(hex32.toUpperCase(java.util.Locale.ROOT))).isNull();
        }
    }

    @Test
    void testsARangeOfALongerText() {
        String secret = samples.stripeSecret();
        String text = "/v1/charges?key=" + secret + "&x=1";
        int from = text.indexOf(secret);
        assertThat(detector.match(text, from, from + secret.length())).isEqualTo(SecretFormat.STRIPE_SECRET_KEY);
        assertThat(detector.match(text, 0, text.length())).isNull();
    }

    @Test
    void answersLongHostileInputsInLinearTime() {
        String[] hostile = {
            "sk_" + "live_" + "a".repeat(200_000) + "!",
            "eyJ" + "a.".repeat(100_000),
            "-----BEGIN ".repeat(20_000),
            "https://hooks.slack.com/services/" + "/".repeat(200_000) + " ",
            "Aa0".repeat(100_000),
        };
        long start = System.nanoTime();
        for (String value : hostile) {
            detector.detect(value);
        }
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void labelsAreStableKebabCaseNames() {
        assertThat(SecretFormat.STRIPE_SECRET_KEY.label()).isEqualTo("stripe-secret-key");
        assertThat(SecretFormat.GITHUB_TOKEN.label()).isEqualTo("github-token");
        assertThat(SecretFormat.JWT.label()).isEqualTo("jwt");
        assertThat(SecretFormat.HIGH_ENTROPY.label()).isEqualTo("high-entropy");
        for (SecretFormat format : SecretFormat.values()) {
            assertThat(format.label()).matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(SecretFormat.fromLabel(format.label())).contains(format);
        }
    }

    @Test
    void recognisesKeywatchsOwnCredentials() {
        SecretDetector detector = new SecretDetector();
        assertThat(detector.detect("kw_h3k9x2ab_" + "Zq0-_".repeat(8) + "abc")).contains(SecretFormat.KEYWATCH_SECRET);
        assertThat(detector.detect("whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).contains(SecretFormat.KEYWATCH_SECRET);
        // the shape, not the prefix alone
        assertThat(detector.detect("kw_not-a-token-at-all-just-text")).isEmpty();
    }
}
