package io.keywatch.streams.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.detect.KeyThresholds;
import io.keywatch.streams.detect.VolumeSpikeRule;

/**
 * A key's traffic is the attacker's to shape: any sequence of minutes (gaps of up to two days, counts from 0 to far
 * beyond any real key) and any valid settings must keep the volume profile finite, bounded in size, and its stored
 * form exact; judging a minute must never throw.
 */
class VolumeProfileFuzzTest {

    private static final KeyProfileSerde SERDE = new KeyProfileSerde();

    @FuzzTest(maxDuration = "30s")
    void anyTrafficKeepsTheProfileFiniteAndSmall(FuzzedDataProvider data) {
        DetectionSettings settings = DetectionSettings.DEFAULTS
                .with(VolumeSpikeRule.PROBABILITY, data.consumeRegularDouble(1e-300, 0.01))
                .with(VolumeSpikeRule.FACTOR, data.consumeRegularDouble(0.001, 100))
                .with(VolumeSpikeRule.WARMUP_MINUTES, data.consumeInt(1, 30))
                .with(VolumeSpikeRule.ADAPT_MINUTES, data.consumeInt(1, 60))
                .with(VolumeSpikeRule.SMOOTHING, data.consumeRegularDouble(0.001, 1));
        VolumeWeekSimulation key = new VolumeWeekSimulation(KeyThresholds.global(settings));
        long minute = VolumeWeekSimulation.MONDAY + data.consumeLong(-1_000_000, 1_000_000) * VolumeWeekSimulation.MINUTE;
        while (data.remainingBytes() > 4) {
            minute += data.consumeInt(1, 2 * 24 * 60) * VolumeWeekSimulation.MINUTE;
            long count = data.consumeBoolean() ? data.consumeLong(1, 100) : data.consumeLong(1, 1_000_000_000_000L);
            key.minute(minute, count);
            KeyProfile profile = key.profile;
            for (double value : new double[] {profile.recentVolume(), profile.expectedVolume(minute),
                    profile.dropExpectedVolume(minute), profile.dispersion(), profile.sigma(profile.expectedVolume(minute)),
                    profile.volumeModel().silenceLevel()}) {
                assertThat(value).isFinite().isGreaterThanOrEqualTo(0);
            }
            assertThat(profile.dispersion()).isLessThanOrEqualTo(VolumeModel.MAX_DISPERSION);
        }
        byte[] bytes = SERDE.serializer().serialize("t", key.profile);
        assertThat(bytes).hasSizeLessThan(1024);
        assertThat(SERDE.serializer().serialize("t", SERDE.deserializer().deserialize("t", bytes))).isEqualTo(bytes);
    }
}
