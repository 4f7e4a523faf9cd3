package io.keywatch.tools.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.tools.soak.ScaleOutReport.KeyStateEntry;
import io.keywatch.tools.soak.WebhookReceiver.Delivery;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScaleOutReportTest {

    private static final ScaleOutSettings THREE_TWO = new ScaleOutSettings(3, 2, false);
    private static final Map<Integer, long[]> CAUGHT_UP = Map.of(0, new long[] {10, 10});

    private static GroupAssignment group(String state, GroupAssignment.Member... members) {
        return new GroupAssignment(state, List.of(members));
    }

    private static GroupAssignment.Member member(String id, String instance, Integer... partitions) {
        return new GroupAssignment.Member(id, instance, Set.of(partitions));
    }

    private static final GroupAssignment BEFORE = group("Stable", member("m1", "streams-1", 0),
            member("m2", "streams-2", 1), member("m3", "streams-3", 2));

    @Test
    void refusesToLeaveNoSurvivorWhenKilledInstancesStayDead() {
        assertThatThrownBy(() -> new ScaleOutSettings(2, 1, false).requireSurvivor(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("survivor");
        new ScaleOutSettings(3, 1, false).requireSurvivor(2);
        new ScaleOutSettings(1, 1, true).requireSurvivor(5);
        assertThat(new ScaleOutSettings(3, 2, true).childHeapMb()).isEqualTo(256);
        assertThat(ScaleOutSettings.SINGLE.childHeapMb()).isEqualTo(384);
    }

    @Test
    void readsTheInstanceFromAStreamsConsumersClientId() {
        assertThat(GroupAssignment.instanceOf("streams-2-StreamThread-1-consumer")).isEqualTo("streams-2");
        assertThat(GroupAssignment.instanceOf("other")).isEqualTo("other");
    }

    @Test
    void settlesOnlyWhenStableWithEveryPartitionHeldByTheLiveInstancesAndTheKilledMemberGone() {
        GroupAssignment taken = group("Stable", member("m1", "streams-1", 0, 1), member("m3", "streams-3", 2));
        assertThat(taken.settled(3, Set.of("streams-1", "streams-3"), Set.of("m2"))).isTrue();
        // the dead member still in the group (its session has not expired)
        assertThat(BEFORE.settled(3, Set.of("streams-1", "streams-3"), Set.of("m2"))).isFalse();
        assertThat(group("PreparingRebalance", member("m1", "streams-1", 0, 1), member("m3", "streams-3", 2))
                .settled(3, Set.of("streams-1", "streams-3"), Set.of("m2"))).isFalse();
        // partition 1 held by nobody
        assertThat(group("Stable", member("m1", "streams-1", 0), member("m3", "streams-3", 2))
                .settled(3, Set.of("streams-1", "streams-3"), Set.of("m2"))).isFalse();
        // restarted: the same instance back as a new member
        GroupAssignment back = group("Stable", member("m1", "streams-1", 0), member("m4", "streams-2", 1),
                member("m3", "streams-3", 2));
        assertThat(back.settled(3, Set.of("streams-1", "streams-2", "streams-3"), Set.of("m2"))).isTrue();
    }

    @Test
    void aKilledInstancesPartitionsTakenBySurvivorsIsAMove() {
        GroupAssignment after = group("Stable", member("m1", "streams-1", 0, 1), member("m3", "streams-3", 2));
        PartitionMove move = PartitionMove.of(1, "streams-2", false, BEFORE, after, true, 47.3, 3);
        assertThat(move.killedPartitions()).containsExactly(1);
        assertThat(move.takenBy()).containsEntry(1, "streams-1");
        assertThat(move.problem()).isNull();
    }

    @Test
    void aGroupThatDidNotSettleOrLeftAPartitionToTheDeadIsAProblem() {
        assertThat(PartitionMove.of(1, "streams-2", false, BEFORE, BEFORE, false, 180, 3).problem())
                .contains("did not settle");
        assertThat(PartitionMove.of(1, "streams-2", false, BEFORE, BEFORE, true, 10, 3).problem())
                .contains("dead instance still holds");
        GroupAssignment partial = group("Stable", member("m1", "streams-1", 0), member("m2", "streams-2", 1));
        assertThat(PartitionMove.of(1, "streams-2", true, partial, partial, true, 10, 3).problem())
                .contains("only 2 of 3");
    }

    @Test
    void balancesWhenEveryRevocationHasOneWebhookIdEvenIfDeliveredTwice() {
        ScaleOutReport report = ScaleOutReport.of(THREE_TWO, List.of(), List.of("k1", "k2"),
                List.of(new KeyStateEntry("k1", "ACTIVE"), new KeyStateEntry("k2", "ACTIVE"),
                        new KeyStateEntry("k1", "REVOKED"), new KeyStateEntry("k2", "REVOKED"),
                        new KeyStateEntry("k1", "REVOKED")), // republished, not revoked again
                List.of(new Delivery("msg_1", "key.revoked", "k1", true), new Delivery("msg_2", "key.revoked", "k2", true),
                        new Delivery("msg_1", "key.revoked", "k1", true)),
                CAUGHT_UP, Map.of(0, new long[] {4, 5}));
        assertThat(report.problems()).isEmpty();
        assertThat(report.keyRevokedIds()).isEqualTo(2);
        assertThat(report.duplicateDeliveries()).isEqualTo(1);
        assertThat(report.apiLagByPartition()).containsEntry(0, 1L);
    }

    @Test
    void flagsAKeyRevokedTwiceALostWebhookAndAnAnnouncementUnderTwoIds() {
        ScaleOutReport report = ScaleOutReport.of(THREE_TWO, List.of(), List.of("k1", "k1", "k2", "k3"),
                List.of(new KeyStateEntry("k1", "REVOKED"), new KeyStateEntry("k1", "ACTIVE"),
                        new KeyStateEntry("k1", "REVOKED"), new KeyStateEntry("k2", "REVOKED"),
                        new KeyStateEntry("k3", "REVOKED")),
                List.of(new Delivery("msg_1", "key.revoked", "k1", true), new Delivery("msg_2", "key.revoked", "k1", true),
                        new Delivery("msg_3", "key.revoked", "k3", true), new Delivery("msg_4", "key.revoked", "k3", false),
                        new Delivery("msg_5", "key.revoked", "k3", true)),
                CAUGHT_UP, CAUGHT_UP);
        assertThat(report.keysRevokedTwice()).containsExactly("k1");
        assertThat(report.keysWithoutWebhook()).containsExactly("k2");
        assertThat(report.keysWithExtraWebhookIds()).singleElement().asString().startsWith("k3");
        assertThat(report.problems()).anyMatch(p -> p.contains("revoked more than once"))
                .anyMatch(p -> p.contains("without a key.revoked webhook"))
                .anyMatch(p -> p.contains("more webhook ids than revocations"))
                .anyMatch(p -> p.contains("signature did not verify"));
    }

    @Test
    void flagsARevocationNeverPublishedToTheKeyStateTopic() {
        ScaleOutReport report = ScaleOutReport.of(THREE_TWO, List.of(), List.of("k1"), List.of(),
                List.of(new Delivery("msg_1", "key.revoked", "k1", true)), CAUGHT_UP, CAUGHT_UP);
        assertThat(report.problems()).singleElement().asString().contains("never REVOKED on the key-state topic");
    }

    @Test
    void aMovesProblemIsTheReportsAndTheLedgers() {
        PartitionMove stuck = PartitionMove.of(1, "streams-2", false, BEFORE, BEFORE, false, 180, 3);
        ScaleOutReport report = ScaleOutReport.of(THREE_TWO, List.of(stuck), List.of(), List.of(), List.of(),
                CAUGHT_UP, CAUGHT_UP);
        assertThat(report.problems()).containsExactly(stuck.problem());
    }
}
