package io.keywatch.api.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.support.TestAlerts;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RevocationPolicyTest {

    private static Alert alertOf(Severity severity) {
        return TestAlerts.alert("a-1", "key-1", AlertRule.AUTH_FAILURE_BURST, severity, Instant.now());
    }

    @Test
    void appliesAtAndAboveTheMinimumOnly() {
        RevocationPolicy policy = new RevocationPolicy(Severity.HIGH, null);

        assertThat(policy.appliesTo(alertOf(Severity.MEDIUM))).isFalse();
        assertThat(policy.appliesTo(alertOf(Severity.HIGH))).isTrue();
        assertThat(policy.appliesTo(alertOf(Severity.CRITICAL))).isTrue();
    }

    @Test
    void neverAppliesWhenDisabled() {
        RevocationPolicy policy = new RevocationPolicy(null, null);

        assertThat(policy.appliesTo(alertOf(Severity.CRITICAL))).isFalse();
        assertThat(policy.apply(alertOf(Severity.CRITICAL))).isEmpty();
    }

    @Test
    void explainsTheRevocationWithRuleAlertAndSeverity() {
        Alert alert = alertOf(Severity.CRITICAL);

        assertThat(RevocationPolicy.reasonFor(alert)).isEqualTo("automatic: AUTH_FAILURE_BURST alert a-1 (CRITICAL)");
        assertThat(RevocationPolicy.actorFor(alert)).isEqualTo("policy:AUTH_FAILURE_BURST");
    }

    @Test
    void withRulesOnlyTheListedRulesApplyEachAtItsOwnSeverity() {
        RevocationPolicy policy = new RevocationPolicy(Severity.CRITICAL,
                java.util.Map.of(io.keywatch.events.AlertRule.AUTH_FAILURE_BURST, Severity.HIGH), null);

        assertThat(policy.appliesTo(alertOf(Severity.HIGH))).isTrue();
        assertThat(policy.appliesTo(alertOf(Severity.MEDIUM))).isFalse();
        Alert other = io.keywatch.api.support.TestAlerts.alert("a-2", "k", io.keywatch.events.AlertRule.IP_FANOUT,
                Severity.CRITICAL, java.time.Instant.now());
        assertThat(policy.appliesTo(other)).isFalse();
    }

    @Test
    void aCanaryIsSkippedWhateverTheRuleEvenWhenSilencedOrProtected() {
        RevocationPolicy policy = new RevocationPolicy(Severity.LOW, null);
        io.keywatch.events.KeyMetadata canary = new io.keywatch.events.KeyMetadata("sec", null, null, null, null, null,
                false, null, null, null, true, "laptop-7");

        assertThat(policy.decide(alertOf(Severity.CRITICAL), false, canary))
                .isEqualTo(RevocationPolicy.Decision.SKIP_CANARY);
        assertThat(policy.decide(alertOf(Severity.CRITICAL), true, canary))
                .isEqualTo(RevocationPolicy.Decision.SKIP_CANARY);
        assertThat(policy.decide(alertOf(Severity.CRITICAL), false, new io.keywatch.events.KeyMetadata("team", null,
                null, null, null, null, true, null, null, null))).isEqualTo(RevocationPolicy.Decision.REVOKE);
    }

    @Test
    void theGuardsOwnAlertNeverRevokes() {
        Alert guard = io.keywatch.api.support.TestAlerts.alert("g-1", "keywatch",
                io.keywatch.events.AlertRule.REVOCATION_GUARD_TRIPPED, Severity.CRITICAL, java.time.Instant.now());

        assertThat(new RevocationPolicy(Severity.LOW, null).appliesTo(guard)).isFalse();
    }

    @Test
    void aSecretInTelemetryAlertOrAnyAlertOnAFingerprintNeverRevokes() {
        String fingerprint = "redacted:stripe-secret-key:0123456789abcdef0123456789abcdef";
        Alert leak = TestAlerts.alert("s-1", fingerprint, AlertRule.SECRET_IN_TELEMETRY, Severity.CRITICAL,
                Instant.now());
        Alert spike = TestAlerts.alert("s-2", fingerprint, AlertRule.VOLUME_SPIKE, Severity.CRITICAL, Instant.now());
        RevocationPolicy everyRule = new RevocationPolicy(Severity.LOW, null);
        RevocationPolicy listed = new RevocationPolicy(Severity.LOW,
                java.util.Map.of(AlertRule.VOLUME_SPIKE, Severity.LOW), null);

        assertThat(everyRule.appliesTo(leak)).isFalse();
        assertThat(everyRule.decide(leak, false, null)).isEqualTo(RevocationPolicy.Decision.NONE);
        assertThat(everyRule.appliesTo(spike)).isFalse();
        assertThat(listed.appliesTo(spike)).isFalse();
        assertThat(listed.apply(spike)).isEmpty();
    }
}
