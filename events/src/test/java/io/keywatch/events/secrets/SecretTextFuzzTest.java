package io.keywatch.events.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any text at all, repeated to about 50,000 characters: redaction answers (linear time, so the fuzzer's own timeout
 * catches a quadratic shape), never throws, and what it says holds no secret is left as it was. Seeds in
 * {@code SecretTextFuzzTestInputs/redactsAnyTextInLinearTime}: {@code -----a}, {@code eyJ}, {@code sk_live_},
 * {@code -----BEGIN }, base64 runs.
 */
class SecretTextFuzzTest {

    private final SecretText secrets = new SecretText(new SecretDetector());

    @FuzzTest(maxDuration = "60s")
    void redactsAnyTextInLinearTime(byte[] input) {
        String piece = new String(input, StandardCharsets.UTF_8);
        if (piece.isEmpty()) {
            return;
        }
        // the fragment repeated: a shape that costs more per repetition than a single pass shows up as a timeout
        String text = piece.repeat(Math.max(1, 50_000 / piece.length()));
        String redacted = secrets.redact(text);
        SecretFormat first = secrets.firstSecret(text);
        if (first == null) {
            assertThat(redacted).isSameAs(text);
        }
        new TokenRedactor(new SecretDetector(), "/;?#,", "&=#;,").redact(piece);
    }
}
