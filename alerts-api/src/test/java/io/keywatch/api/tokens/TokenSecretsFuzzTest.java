package io.keywatch.api.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * Any bearer credential at all: {@link TokenSecrets#parse} never throws, accepts only the exact format (so nothing
 * else reaches the database lookup), and what it accepts formats back to the same string. Half the inputs are
 * well-formed tokens with one fuzzed character.
 */
class TokenSecretsFuzzTest {

    private static final String VALID = "kw_abcd1234_" + "A".repeat(43);

    @FuzzTest
    void everyCredentialIsTheFormatOrNotOurs(FuzzedDataProvider data) {
        String credential;
        if (data.consumeBoolean()) {
            char[] chars = VALID.toCharArray();
            chars[data.consumeInt(0, chars.length - 1)] = data.consumeChar();
            credential = new String(chars);
        } else {
            credential = data.consumeRemainingAsString();
        }
        Optional<TokenSecrets.Parsed> parsed = TokenSecrets.parse(credential);
        if (parsed.isPresent()) {
            assertThat(credential).hasSize(TokenSecrets.TOKEN_LENGTH)
                    .matches("kw_[a-z0-9]{8}_[A-Za-z0-9_-]{43}");
            assertThat(TokenSecrets.format(parsed.get().id(), parsed.get().secret())).isEqualTo(credential);
            assertThat(parsed.get().toString()).doesNotContain(parsed.get().secret());
        } else {
            assertThat(credential.matches("kw_[a-z0-9]{8}_[A-Za-z0-9_-]{43}")).isFalse();
        }
    }
}
