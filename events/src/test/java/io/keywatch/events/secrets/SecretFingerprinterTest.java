package io.keywatch.events.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretFingerprinterTest {

    private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_B = Base64.getEncoder().encodeToString("b".repeat(32).getBytes());

    private final SecretSamples samples = new SecretSamples(1);

    @Test
    void sameSecretSameKeyGivesTheSameFingerprint() {
        String secret = samples.stripeSecret();
        String first = new SecretFingerprinter(FingerprintKey.parseBase64(KEY_A))
                .fingerprint(SecretFormat.STRIPE_SECRET_KEY, secret);
        String again = new SecretFingerprinter(FingerprintKey.parseBase64(KEY_A))
                .fingerprint(SecretFormat.STRIPE_SECRET_KEY, secret);

        assertThat(first).isEqualTo(again).matches("redacted:stripe-secret-key:[0-9a-f]{32}").doesNotContain(secret);
        assertThat(SecretFingerprinter.isFingerprint(first)).isTrue();
        assertThat(SecretFingerprinter.isFingerprint(secret)).isFalse();
    }

    @Test
    void anotherKeyOrAnotherSecretGivesAnotherFingerprint() {
        String secret = samples.stripeSecret();
        SecretFingerprinter a = new SecretFingerprinter(FingerprintKey.parseBase64(KEY_A));
        SecretFingerprinter b = new SecretFingerprinter(FingerprintKey.parseBase64(KEY_B));

        assertThat(a.fingerprint(SecretFormat.STRIPE_SECRET_KEY, secret))
                .isNotEqualTo(b.fingerprint(SecretFormat.STRIPE_SECRET_KEY, secret))
                .isNotEqualTo(a.fingerprint(SecretFormat.STRIPE_SECRET_KEY, samples.stripeSecret()));
    }

    @Test
    void keysAreAtLeast32BytesOfBase64AndNeverShown() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[31]);
        assertThatThrownBy(() -> FingerprintKey.parseBase64(shortKey)).hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> FingerprintKey.parseBase64("not base64 at all!")).hasMessage("not valid base64");
        FingerprintKey key = FingerprintKey.parseBase64(KEY_B);
        assertThat(key.toString()).doesNotContain(KEY_B).contains("not shown");
        assertThat(FingerprintKey.parseBase64(key.toBase64())).isEqualTo(key);
        assertThat(FingerprintKey.random()).isNotEqualTo(FingerprintKey.random());
    }
}
