package io.keywatch.events.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RecordSignaturesTest {

    private static final RecordSigningKeys OLD = RecordSigningKeys.random("k1");
    private static final RecordSigningKeys NEW = RecordSigningKeys.random("k2");
    private static final byte[] KEY = bytes("pk_live_1");
    private static final byte[] VALUE = bytes("{\"severity\":\"CRITICAL\"}");

    @Test
    void signedRecordVerifies() {
        RecordSignatures signatures = new RecordSignatures(OLD);
        Headers headers = signatures.sign("keywatch.alerts", KEY, VALUE, new RecordHeaders());
        assertThat(signatures.verify("keywatch.alerts", KEY, VALUE, headers).valid()).isTrue();
        assertThat(new String(headers.lastHeader(RecordSignatures.KEY_ID_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("k1");
    }

    @Test
    void unsignedRecordIsRefused() {
        var verdict = new RecordSignatures(OLD).verify("keywatch.alerts", KEY, VALUE, new RecordHeaders());
        assertThat(verdict.reasonCode()).isEqualTo("unsigned");
    }

    @Test
    void signatureReplayedOnAnotherKeyTopicOrValueFails() {
        RecordSignatures signatures = new RecordSignatures(OLD);
        Headers headers = signatures.sign("keywatch.alerts", KEY, VALUE, new RecordHeaders());
        assertThat(signatures.verify("keywatch.alerts", bytes("pk_live_2"), VALUE, headers).reasonCode())
                .isEqualTo("bad-signature");
        assertThat(signatures.verify("keywatch.key-state", KEY, VALUE, headers).reasonCode())
                .isEqualTo("bad-signature");
        assertThat(signatures.verify("keywatch.alerts", KEY, bytes("{}"), headers).reasonCode())
                .isEqualTo("bad-signature");
        assertThat(signatures.verify("keywatch.alerts", null, VALUE, headers).reasonCode())
                .isEqualTo("bad-signature");
    }

    @Test
    void lengthPrefixesKeepPartsApart() {
        RecordSignatures signatures = new RecordSignatures(OLD);
        Headers headers = signatures.sign("t", bytes("ab"), bytes("c"), new RecordHeaders());
        assertThat(signatures.verify("t", bytes("a"), bytes("bc"), headers).valid()).isFalse();
        Headers empty = signatures.sign("t", new byte[0], VALUE, new RecordHeaders());
        assertThat(signatures.verify("t", null, VALUE, empty).valid()).isFalse();
    }

    @Test
    void retiredButListedKeyStillVerifiesAfterRotation() {
        Headers signedByOld = new RecordSignatures(OLD).sign("keywatch.alerts", KEY, VALUE, new RecordHeaders());
        RecordSigningKeys rotated = OLD.rotatedTo(NEW);
        assertThat(rotated.signingKeyId()).isEqualTo("k2");
        RecordSignatures afterRotation = new RecordSignatures(rotated);
        assertThat(afterRotation.verify("keywatch.alerts", KEY, VALUE, signedByOld).valid()).isTrue();
        // once the old key is dropped from the list, its records no longer verify
        assertThat(new RecordSignatures(NEW).verify("keywatch.alerts", KEY, VALUE, signedByOld).reasonCode())
                .isEqualTo("unknown-signing-key");
    }

    @Test
    void forgedOrDuplicatedHeadersFail() {
        RecordSignatures signatures = new RecordSignatures(OLD);
        Headers forged = new RecordHeaders()
                .add(RecordSignatures.KEY_ID_HEADER, bytes("k1"))
                .add(RecordSignatures.SIGNATURE_HEADER, bytes(Base64.getUrlEncoder().encodeToString(new byte[32])));
        assertThat(signatures.verify("keywatch.alerts", KEY, VALUE, forged).reasonCode()).isEqualTo("bad-signature");

        Headers twice = signatures.sign("keywatch.alerts", KEY, VALUE, new RecordHeaders());
        twice.add(RecordSignatures.SIGNATURE_HEADER, twice.lastHeader(RecordSignatures.SIGNATURE_HEADER).value());
        assertThat(signatures.verify("keywatch.alerts", KEY, VALUE, twice).reasonCode()).isEqualTo("bad-signature");

        Headers junk = new RecordHeaders().add(RecordSignatures.KEY_ID_HEADER, bytes("k1"))
                .add(RecordSignatures.SIGNATURE_HEADER, bytes("%%%not base64%%%"));
        assertThat(signatures.verify("keywatch.alerts", KEY, VALUE, junk).reasonCode()).isEqualTo("bad-signature");
        Headers noKid = new RecordHeaders().add(RecordSignatures.SIGNATURE_HEADER, bytes("abc"));
        assertThat(signatures.verify("keywatch.alerts", KEY, VALUE, noKid).reasonCode()).isEqualTo("bad-signature");
    }

    @Test
    void signingReplacesHeadersCopiedFromTheInput() {
        RecordSignatures signatures = new RecordSignatures(OLD);
        Headers headers = new RecordHeaders().add(RecordSignatures.SIGNATURE_HEADER, bytes("forged"))
                .add(RecordSignatures.KEY_ID_HEADER, bytes("evil"));
        signatures.sign("keywatch.alerts", KEY, VALUE, headers);
        assertThat(signatures.verify("keywatch.alerts", KEY, VALUE, headers).valid()).isTrue();
    }

    @Test
    void keysReadFromEnvironment() {
        String value = OLD.toEnvValue() + "," + NEW.toEnvValue();
        RecordSigningKeys keys = RecordSigningKeys.fromEnv(Map.of(RecordSigningKeys.VAR, value));
        assertThat(keys.keyIds()).containsExactly("k1", "k2");
        assertThat(keys.signingKeyId()).isEqualTo("k1");
        assertThat(RecordSigningKeys.fromEnv(Map.of())).isNull();
        assertThat(RecordSigningKeys.fromEnv(Map.of(RecordSigningKeys.VAR, " "))).isNull();
        assertThat(keys.toString()).doesNotContain(value.substring(3, 20));
    }

    @Test
    void badKeysAreRefusedWithoutQuotingThem() {
        String shortKey = "k1:" + Base64.getEncoder().encodeToString(new byte[16]);
        String secretish = "k1:SECRETSECRET!!!";
        for (String bad : new String[] {shortKey, secretish, "nokid", "bad id:" + OLD.toEnvValue().substring(3),
                OLD.toEnvValue() + "," + OLD.toEnvValue(), OLD.toEnvValue() + ","}) {
            assertThatThrownBy(() -> RecordSigningKeys.fromEnv(Map.of(RecordSigningKeys.VAR, bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(RecordSigningKeys.VAR)
                    .hasMessageNotContaining("SECRETSECRET")
                    .hasMessageNotContaining(OLD.toEnvValue().substring(3));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
