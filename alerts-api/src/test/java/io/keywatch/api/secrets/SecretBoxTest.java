package io.keywatch.api.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @TempDir
    Path dir;

    @Test
    void sealsWithAFreshNonceUnderTheFirstKeyAndOpensOnlyForTheSameContext() {
        SecretBox box = new SecretBox(SecretKeys.random("k1"));
        String one = box.seal(SECRET, "wh_a");
        String two = box.seal(SECRET, "wh_a");
        assertThat(one).startsWith("k1:").isNotEqualTo(two).doesNotContain("whsec_").doesNotContain("MfKQ9r8G");
        assertThat(one.split(":")).hasSize(3);
        assertThat(Base64.getDecoder().decode(one.split(":")[1])).hasSize(12);
        assertThat(box.open(one, "wh_a")).isEqualTo(SECRET);
        assertThatThrownBy(() -> box.open(one, "wh_b")).isInstanceOf(SealedSecretException.class)
                .hasMessageContaining("does not authenticate");
    }

    @Test
    void refusesAlteredValuesUnknownKeysAndGarbageWithoutQuotingThem() {
        SecretBox box = new SecretBox(SecretKeys.random("k1"));
        String sealed = box.seal(SECRET, "wh_a");
        String[] parts = sealed.split(":");
        byte[] ct = Base64.getDecoder().decode(parts[2]);
        ct[0] ^= 1;
        String altered = parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(ct);
        assertThatThrownBy(() -> box.open(altered, "wh_a")).isInstanceOf(SealedSecretException.class);
        assertThatThrownBy(() -> new SecretBox(SecretKeys.random("k2")).open(sealed, "wh_a"))
                .hasMessageContaining("key id not in");
        for (String garbage : new String[] {SECRET, "k1:%%%:%%%", "k1:AAAA:AAAA", "::", ""}) {
            assertThatThrownBy(() -> box.open(garbage, "wh_a")).isInstanceOf(SealedSecretException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(garbage.isEmpty() ? "\0" : garbage));
        }
    }

    @Test
    void aRotatedListSealsUnderTheNewKeyAndStillOpensWhatTheOldOneSealed() {
        SecretKeys old = SecretKeys.random("old");
        String sealed = new SecretBox(old).seal(SECRET, "wh_a");
        SecretBox rotated = new SecretBox(old.rotatedTo(SecretKeys.random("new")));
        assertThat(rotated.needsSealing(sealed)).isTrue();
        assertThat(rotated.open(sealed, "wh_a")).isEqualTo(SECRET);
        assertThat(rotated.seal(SECRET, "wh_a")).startsWith("new:");
        assertThat(rotated.needsSealing(SECRET)).as("clear").isTrue();
    }

    @Test
    void keysComeFromTheVariableOrAFileAndNoMessageShowsAKey() throws Exception {
        SecretKeys keys = SecretKeys.random("k1");
        assertThat(SecretKeys.fromEnv(Map.of(SecretKeys.VAR, keys.toEnvValue())).keyIds()).containsExactly("k1");
        Path file = dir.resolve("keys");
        Files.writeString(file, keys.toEnvValue() + "\n", StandardCharsets.US_ASCII);
        assertThat(SecretKeys.fromEnv(Map.of(SecretKeys.FILE_VAR, file.toString())).toEnvValue())
                .isEqualTo(keys.toEnvValue());
        assertThat(SecretKeys.fromEnv(Map.of())).isNull();
        assertThatThrownBy(() -> SecretKeys.fromEnv(Map.of(SecretKeys.VAR, keys.toEnvValue(),
                SecretKeys.FILE_VAR, file.toString()))).hasMessageContaining("both set");

        String shortKey = "k1:" + Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> SecretKeys.parse(shortKey)).hasMessageContaining("16 bytes, not 32")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(shortKey.substring(3)));
        Files.writeString(file, "k1:not-base64!!");
        assertThatThrownBy(() -> SecretKeys.fromEnv(Map.of(SecretKeys.FILE_VAR, file.toString())))
                .hasMessageContaining("not valid base64").satisfies(e ->
                        assertThat(e.getMessage()).doesNotContain("not-base64!!"));
        assertThat(keys.toString()).isEqualTo("SecretKeys[k1]");
        assertThatThrownBy(() -> SecretKeys.parse(keys.toEnvValue() + "," + keys.toEnvValue()))
                .hasMessageContaining("listed twice");
    }
}
