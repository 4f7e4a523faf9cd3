package io.keywatch.api.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Base64;

/**
 * A stored secret is read back from a table others may write: {@link SecretBox#open} must refuse anything it did not
 * seal for that row with a {@link SealedSecretException} whose message quotes nothing of the value, and open what it
 * sealed. {@link SecretKeys#parse} (operator input) refuses bad lists with an {@link IllegalArgumentException} that
 * quotes no key.
 */
class SecretBoxFuzzTest {

    private static final SecretKeys KEYS = SecretKeys.parse("k1:" + Base64.getEncoder().encodeToString(new byte[32])
            + ",k2:" + Base64.getEncoder().encodeToString(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                29, 30, 31, 32}));
    private static final SecretBox BOX = new SecretBox(KEYS);

    @FuzzTest
    void openRefusesWhatItDidNotSealForThisRow(FuzzedDataProvider data) {
        String context = data.consumeString(40);
        String plaintext = data.consumeString(100);
        String stored = data.consumeRemainingAsString();
        assertThat(BOX.open(BOX.seal(plaintext, context), context)).isEqualTo(plaintext);
        try {
            String opened = BOX.open(stored, context);
            // only a value sealed under a listed key for this context opens: the fuzzer cannot forge a GCM tag
            throw new AssertionError("opened a value it did not seal (" + opened.length() + " chars)");
        } catch (SealedSecretException e) {
            if (stored.length() >= 8) {
                assertThat(e.getMessage()).doesNotContain(stored);
            }
        }
        try {
            SecretKeys.parse(stored);
        } catch (IllegalArgumentException e) {
            int colon = stored.indexOf(':');
            String key = colon < 0 ? "" : stored.substring(colon + 1);
            if (key.length() >= 8) {
                assertThat(e.getMessage()).doesNotContain(key);
            }
        }
    }
}
