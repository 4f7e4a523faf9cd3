package io.keywatch.events.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Half a megabyte of text shaped against the scan finishes: each pass is linear. Before the fix, "-----a" repeated
 * rescanned the whole text at every run of five dashes (minutes for 512 KiB). The timeout is only a hang guard.
 */
class SecretTextAdversarialTest {

    private static final int SIZE = 512 * 1024;
    private final SecretText secrets = new SecretText(new SecretDetector());

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void redactsAdversarialShapesOfHalfAMegabyte() {
        for (String text : AdversarialText.shapes(SIZE)) {
            assertThat(secrets.redact(text)).isNotNull();
            secrets.firstSecret(text);
        }
    }

    @Test
    void stillFindsAPrivateKeyAfterManyDashRuns() {
        String text = "-----a".repeat(1_000) + " -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----";
        assertThat(secrets.redact(text)).isEqualTo("redacted:private-key");
        assertThat(secrets.firstSecret(text)).isEqualTo(SecretFormat.PRIVATE_KEY);
    }
}
