package io.keywatch.events.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any string at all: the detector answers without throwing, the same answer every time, the same for a range of a
 * longer text as for that range on its own, and what it calls a secret is at least {@link SecretDetector#MIN_LENGTH}
 * long. {@code mvn verify} replays the committed inputs in
 * {@code src/test/resources/io/keywatch/events/secrets/SecretDetectorFuzzTestInputs}; README: Fuzzing.
 */
class SecretDetectorFuzzTest {

    private final SecretDetector detector = new SecretDetector();

    @FuzzTest
    void answersEveryStringStably(byte[] input) {
        // bytes rather than a String parameter: the committed corpus files stay plain text
        String value = new String(input, StandardCharsets.UTF_8);
        SecretFormat format = detector.match(value, 0, value.length());
        assertThat(detector.match(value, 0, value.length())).isEqualTo(format);
        assertThat(detector.detect(value).orElse(null)).isEqualTo(format);
        String framed = "<< " + value + " >>";
        assertThat(detector.match(framed, 3, 3 + value.length())).isEqualTo(format);
        if (format != null) {
            assertThat(value.length()).isGreaterThanOrEqualTo(SecretDetector.MIN_LENGTH);
        }
    }
}
