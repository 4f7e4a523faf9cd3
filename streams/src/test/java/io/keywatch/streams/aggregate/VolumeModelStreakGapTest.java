package io.keywatch.streams.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An alerted spike streak's gap of normal minutes: how long it lasts, and that it survives the stored format. */
class VolumeModelStreakGapTest {

    private static final long MINUTE = 60_000L;

    @Test
    void anAlertedStreakOutlastsTheGapAndEndsAtTheNextNormalMinute() {
        VolumeModel model = new VolumeModel();
        model.streak(0, 200, true, false, 2, 30);
        for (int m = 1; m <= VolumeModel.SPIKE_GAP_MINUTES; m++) {
            assertThat(model.inAlertedStreak()).as("before normal minute %d", m).isTrue();
            model.streak(m * MINUTE, 20, false, false, 0, 30);
            assertThat(model.spikeStreakMinutes()).as("after normal minute %d", m).isEqualTo(1);
        }
        assertThat(model.inAlertedStreak()).isFalse();
        model.streak((VolumeModel.SPIKE_GAP_MINUTES + 1) * MINUTE, 20, false, false, 0, 30);
        assertThat(model.spikeStreakMinutes()).isZero();
        assertThat(model.spikeStreakAlerted()).isZero();
    }

    @Test
    void aStreakThatRaisedNothingEndsAtItsFirstNormalMinute() {
        VolumeModel model = new VolumeModel();
        model.streak(0, 200, true, false, 0, 30);
        assertThat(model.inAlertedStreak()).isFalse();
        model.streak(MINUTE, 20, false, false, 0, 30);
        assertThat(model.spikeStreakMinutes()).isZero();
    }

    @Test
    void theGapSoFarIsStoredWithTheStreak() {
        VolumeModel model = new VolumeModel();
        model.streak(0, 200, true, false, 2, 30);
        for (int m = 1; m < VolumeModel.SPIKE_GAP_MINUTES; m++) {
            model.streak(m * MINUTE, 20, false, false, 0, 30);
        }
        VolumeModel read = roundTrip(model);

        assertThat(read.spikeGap).isEqualTo(VolumeModel.SPIKE_GAP_MINUTES - 1);
        // one normal minute more is the last the streak outlasts, then it ends
        read.streak(VolumeModel.SPIKE_GAP_MINUTES * MINUTE, 20, false, false, 0, 30);
        assertThat(read.spikeStreakMinutes()).isEqualTo(1);
        read.streak((VolumeModel.SPIKE_GAP_MINUTES + 1) * MINUTE, 20, false, false, 0, 30);
        assertThat(read.spikeStreakMinutes()).isZero();
    }

    @Test
    void aModelWithoutAGapIsStoredAsBefore() {
        VolumeModel model = new VolumeModel();
        model.streak(0, 200, true, false, 2, 30);
        CompactWriter out = new CompactWriter(64);
        model.writeTo(out);
        byte[] bytes = out.toByteArray();

        // the flags (a varint) carry no gap part: the same bytes as a build without the gap wrote
        long flags = new CompactReader(bytes, 0).readVarLong();
        assertThat(flags & 4096).isZero();
        assertThat(roundTrip(model).spikeGap).isZero();
    }

    private static VolumeModel roundTrip(VolumeModel model) {
        CompactWriter out = new CompactWriter(64);
        model.writeTo(out);
        return VolumeModel.readFrom(new CompactReader(out.toByteArray(), 0));
    }
}
