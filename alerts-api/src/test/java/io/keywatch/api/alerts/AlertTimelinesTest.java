package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.alerts.TimelineSources.DecisionEntry;
import io.keywatch.api.alerts.TimelineSources.DeliveryEntry;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the timeline is put together from what the stores return (the SQL side: AlertTimelineHttpTest). */
class AlertTimelinesTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void pipelineStepsComeFirstThenTheRestInTimeOrderWithLatencies() {
        StoredAlert alert = alert(T, T.plusMillis(800), T.plusMillis(950), null, T.plusSeconds(600));
        List<DecisionEntry> decisions = List.of(
                new DecisionEntry(T.plusSeconds(1), "PENDING_APPROVAL", "policy:VOLUME_SPIKE", null, "rd_1", "guard"),
                new DecisionEntry(T.plusSeconds(120), "APPROVED", "token:alice", "bob", "rd_1", "approved: spike"));
        List<DeliveryEntry> deliveries = List.of(
                new DeliveryEntry("msg_2", "key.revoked", T.plusSeconds(120), "wh_1", "DELIVERED", 2,
                        T.plusSeconds(120), T.plusSeconds(121), null, 200),
                new DeliveryEntry("msg_1", "revocation.pending", T.plusSeconds(1), "wh_1", "PENDING", 1,
                        T.plusSeconds(2), null, null, 503));

        AlertTimeline timeline = AlertTimelines.assemble(alert, decisions, deliveries, false);

        assertThat(timeline.steps()).extracting(TimelineStep::step).containsExactly("triggered", "detected",
                "stored", "revocation-decided", "webhook-pending", "revocation-approved", "key-revoked",
                "webhook-delivered", "resolved");
        assertThat(timeline.steps()).extracting(TimelineStep::sinceTriggerMs).containsExactly(0L, 800L, 950L,
                1_000L, 2_000L, 120_000L, 120_000L, 121_000L, 600_000L);
        assertThat(timeline.steps()).extracting(TimelineStep::sincePreviousMs).containsExactly(0L, 800L, 150L,
                50L, 1_000L, 118_000L, 0L, 1_000L, 479_000L);
        assertThat(timeline.steps().get(5).actor()).isEqualTo("token:alice for bob");
    }

    @Test
    void anEventClockAheadOfKeywatchGivesANegativeLatencyButKeepsThePipelineOrder() {
        StoredAlert alert = alert(T.plusSeconds(5), T, T.plusMillis(10), null, null);

        AlertTimeline timeline = AlertTimelines.assemble(alert, List.of(), List.of(), false);

        assertThat(timeline.steps()).extracting(TimelineStep::step)
                .containsExactly("triggered", "detected", "stored");
        assertThat(timeline.steps().get(1).sincePreviousMs()).isEqualTo(-5_000L);
    }

    @Test
    void anApprovalOfAKeyRevokedAlreadyIsNoSecondRevocation() {
        StoredAlert alert = alert(T, T, T, null, null);
        List<DecisionEntry> decisions = List.of(new DecisionEntry(T.plusSeconds(9), "APPROVED", "token:alice", null,
                "rd_1", "approved (the key was revoked already): spike"));

        assertThat(AlertTimelines.assemble(alert, decisions, List.of(), true).steps()).extracting(TimelineStep::step)
                .containsExactly("triggered", "detected", "stored", "revocation-approved");
    }

    private static StoredAlert alert(Instant triggered, Instant detected, Instant stored, Instant acknowledged,
                                     Instant resolved) {
        return new StoredAlert("a1", "VOLUME_SPIKE:k1", AlertRule.VOLUME_SPIKE, Severity.CRITICAL, "k1",
                resolved == null ? AlertStatus.OPEN : AlertStatus.RESOLVED, resolved == null ? null : "revoked", 1,
                detected, detected, false, null, "REVOKED", T.minusSeconds(60), T, triggered, detected, 10, 5, null,
                "spike", StoredEvidence.EMPTY, acknowledged, acknowledged == null ? null : "token:bob", resolved,
                resolved == null ? null : "token:alice", stored, stored);
    }
}
