package io.keywatch.streams.redact;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.AuthResult;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.secrets.FingerprintKey;
import io.keywatch.events.secrets.SecretFormat;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventRedactorTest {

    private static final String GITHUB = "gh" + "p_" + "Qr7x9Kd2LmPq4RsTv8WyZa1Bc3De5Fg6Hi7J";
    private static final String AWS = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY";

    private final EventRedactor redactor = new EventRedactor(FingerprintKey.of(new byte[32]));

    private static UsageEvent event(String keyId, String path, String userAgent) {
        return UsageEvent.of("evt-1", keyId, Instant.parse("2026-03-02T10:00:00Z"), "billing", AuthResult.OK)
                .withRequest("GET", path, 200).withClient("10.0.0.1", "DE", userAgent);
    }

    @Test
    void leavesAnEventWithoutSecretsAsTheSameInstance() {
        UsageEvent event = event("key_live_42", "/v1/invoices/inv_123/lines?limit=10&starting_after=li_9",
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0");
        EventRedactor.Redacted redacted = redactor.redact(event);

        assertThat(redacted.event()).isSameAs(event);
        assertThat(redacted.keyIdRedacted()).isFalse();
    }

    @Test
    void fingerprintsASecretKeyIdAndNamesItsFormat() {
        EventRedactor.Redacted redacted = redactor.redact(event(GITHUB, "/v1/x", null));

        assertThat(redacted.keyIdFormat()).isEqualTo(SecretFormat.GITHUB_TOKEN);
        assertThat(redacted.event().keyId()).matches("redacted:github-token:[0-9a-f]{32}");
        assertThat(redacted.event().path()).isEqualTo("/v1/x");
    }

    @Test
    void fingerprintsAKeyIdThatHoldsASecretAsOneOfItsTokens() {
        String stripe = "sk_" + "live_" + "Qr7x9Kd2LmPq4RsTv8WyZa1B";
        for (String keyId : new String[] {"token:" + GITHUB, stripe + ",", "key=" + stripe, "Bearer:" + stripe + ";x"}) {
            EventRedactor.Redacted redacted = redactor.redact(event(keyId, null, null));

            assertThat(redacted.keyIdRedacted()).as(keyId).isTrue();
            assertThat(redacted.event().keyId()).as(keyId).matches("redacted:[a-z-]+:[0-9a-f]{32}");
        }
        // dotted and dashed ids stay what they are
        assertThat(redactor.redact(event("billing.key-live.0042", null, null)).keyIdRedacted()).isFalse();
    }

    @Test
    void redactsPathSegmentsQueryValuesAndUserAgentTokensInPlace() {
        UsageEvent event = event("key_live_42", "/v1/repos/" + GITHUB + "/pulls?aws=" + AWS + "&page=2",
                "ci-bot/1.0 (token=" + GITHUB + ")");
        UsageEvent redacted = redactor.redact(event).event();

        assertThat(redacted.keyId()).isEqualTo("key_live_42");
        assertThat(redacted.path())
                .isEqualTo("/v1/repos/redacted:github-token/pulls?aws=redacted:aws-secret-access-key&page=2");
        assertThat(redacted.userAgent()).isEqualTo("ci-bot/1.0 (token=redacted:github-token)");
    }

    @Test
    void redactsASecretInTheServiceAndTheScopeInPlace() {
        // found by LogLeakScanTest: the service was echoed in the log and in the SECRET_IN_TELEMETRY alert's summary
        UsageEvent event = UsageEvent.of("evt-1", "key_live_42", Instant.parse("2026-03-02T10:00:00Z"),
                        "billing/" + GITHUB, AuthResult.OK)
                .withRequest("GET", "/", 200)
                .withDetails(12, "read token=" + AWS, true, io.keywatch.events.CredentialLocation.HEADER);

        UsageEvent redacted = redactor.redact(event).event();

        // "billing/ghp_..." as a whole already looks random: the whole service becomes redacted:high-entropy
        assertThat(redacted.service()).doesNotContain(GITHUB).startsWith("redacted:");
        assertThat(redacted.scope()).isEqualTo("read token=redacted:aws-secret-access-key");
        assertThat(redacted.keyId()).isEqualTo("key_live_42");
    }

    @Test
    void replacesAUserAgentHoldingAPrivateKeyBlockAsAWhole() {
        UsageEvent event = event("key_live_42", "/", "x -----BEGIN " + "EC PRIVATE KEY----- MHcCAQEEI abc");

        assertThat(redactor.redact(event).event().userAgent()).isEqualTo("redacted:private-key");
    }
}
