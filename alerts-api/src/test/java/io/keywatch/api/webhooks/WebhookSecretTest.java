package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookSecretTest {

    @Test
    void generatesWhsecPrefixedBase64Of32RandomBytes() {
        WebhookSecret secret = WebhookSecret.generate();

        assertThat(secret.reveal()).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(Base64.getDecoder().decode(secret.reveal().substring(6))).hasSize(32);
        assertThat(secret.keyBytes()).hasSize(32);
    }

    @Test
    void generatedSecretsDiffer() {
        Set<String> seen = new HashSet<>();
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 200; i++) {
            seen.add(WebhookSecret.generate(random).reveal());
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void parsesWhatItRevealsBackToAnEqualSecret() {
        WebhookSecret secret = WebhookSecret.generate();

        WebhookSecret parsed = WebhookSecret.parse("  " + secret.reveal() + "\n");

        assertThat(parsed).isEqualTo(secret).hasSameHashCodeAs(secret);
        assertThat(parsed.keyBytes()).isEqualTo(secret.keyBytes());
    }

    @Test
    void acceptsTheSpecExampleSecretOf24Bytes() {
        assertThat(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").keyBytes()).hasSize(24);
    }

    @Test
    void refusesASecretWithoutThePrefix() {
        assertThatThrownBy(() -> WebhookSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a webhook secret must start with 'whsec_'");
    }

    @Test
    void refusesBadBase64WithoutRepeatingTheInput() {
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_not*base64!really"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("standard base64")
                .hasMessageNotContaining("not*base64");
    }

    @Test
    void refusesKeysShorterThan24OrLongerThan64Bytes() {
        String short23 = "whsec_" + Base64.getEncoder().encodeToString(new byte[23]);
        String long65 = "whsec_" + Base64.getEncoder().encodeToString(new byte[65]);

        assertThatThrownBy(() -> WebhookSecret.parse(short23)).hasMessageContaining("24 to 64 bytes, got 23");
        assertThatThrownBy(() -> WebhookSecret.parse(long65)).hasMessageContaining("got 65");
        assertThatThrownBy(() -> WebhookSecret.parse(" ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> WebhookSecret.parse(null)).hasMessageContaining("blank");
    }

    @Test
    void toStringShowsAFingerprintButNeverTheSecret() {
        WebhookSecret secret = WebhookSecret.generate();
        String base64 = secret.reveal().substring(6);

        assertThat(secret.toString())
                .doesNotContain(base64)
                .doesNotContain(base64.substring(0, 8))
                .contains(secret.fingerprint());
        assertThat(secret.fingerprint()).matches("[0-9a-f]{8}");
        assertThat(WebhookSecret.generate().fingerprint()).isNotEqualTo(secret.fingerprint());
    }

    @Test
    void keyBytesAreACopy() {
        WebhookSecret secret = WebhookSecret.generate();
        byte[] bytes = secret.keyBytes();
        bytes[0] ^= 1;

        assertThat(secret.keyBytes()).isNotEqualTo(bytes);
    }
}
