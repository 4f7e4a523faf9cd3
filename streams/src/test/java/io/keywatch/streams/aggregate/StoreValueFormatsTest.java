package io.keywatch.streams.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The stores' value formats: the current compact one round-trips every field, and values written by earlier builds
 * (still in state stores and changelog topics after an upgrade) read back unchanged. The hex literals were written by
 * those builds' serdes from {@link #aggregate()} and {@link #profile()}.
 */
class StoreValueFormatsTest {

    private static final long MINUTE = 60_000L;
    private static final long T0 = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();

    static MinuteAggregate aggregate() {
        KeyProfile profile = profile();
        MinuteAggregate usage = new MinuteAggregate();
        usage.setBaseline(profile, T0 + 31 * MINUTE);
        for (int i = 0; i < 40; i++) {
            usage.add(UsageEvent.of("e" + i, "key-1", Instant.ofEpochMilli(T0 + 31 * MINUTE + i),
                            "orders", i % 10 == 0 ? AuthResult.INVALID_SECRET : AuthResult.OK)
                    .withRequest("GET", "/v1/orders/" + (i % 3), i % 7 == 0 ? 503 : 200)
                    .withClient("10.0.0." + (i % 5), i % 2 == 0 ? "DE" : "FR", "curl"));
        }
        usage.addScopeViolation("orders:write", true);
        usage.addScopeViolation(null, false);
        usage.markAlerted(AlertRule.VOLUME_SPIKE, Severity.HIGH);
        usage.markAlerted(AlertRule.UNKNOWN_KEY, Severity.LOW);
        usage.handleOnce(AlertRule.INSECURE_TRANSPORT);
        return usage;
    }

    /** {@link #aggregate()} with marks on the first, a middle and the last rule the topology raises. */
    static MinuteAggregate markedAggregate() {
        MinuteAggregate usage = aggregate();
        usage.markAlerted(AlertRule.SECRET_IN_TELEMETRY, Severity.CRITICAL);
        usage.markAlerted(AlertRule.AUTH_FAILURE_BURST, Severity.MEDIUM);
        usage.handleOnce(AlertRule.KEY_UNUSED);
        return usage;
    }

    static KeyProfile profile() {
        KeyProfile profile = new KeyProfile();
        profile.advanceTo(T0, 0, 0, 0.1, 100);
        for (int m = 1; m <= 30; m++) {
            profile.advanceTo(T0 + m * MINUTE, 40 + m % 4, 3, 0.1, 100);
        }
        profile.addCountry("DE");
        profile.addCountry("FR");
        profile.markAlerted(AlertRule.KEY_IN_URL, T0);
        profile.markRateStreakAlerted(T0);
        return profile;
    }

    /** {@link #profile()} with marks on the first, a middle and the last rule profile format 2 kept by position. */
    static KeyProfile markedProfile() {
        KeyProfile profile = profile();
        profile.markAlerted(AlertRule.INSECURE_TRANSPORT, T0 + 60 * MINUTE);
        profile.markAlerted(AlertRule.KEY_UNUSED, T0 - 600 * MINUTE);
        profile.markAlerted(AlertRule.SECRET_IN_TELEMETRY, T0 - 600 * MINUTE);
        return profile;
    }

    /** {@link #markedProfile()} as KeyProfileSerde version 2 wrote it, when marks were stored by position. */
    private static final String PROFILE_V2_BY_POSITION = "020d80a1f0c8c3684044bda98cdef5d73fefe03455836d661e8008422600003f81dafa1e40080000000000023ccd15087"
            + "4edd5811e001f040e80c494c7c36880c494c7c36880a1f0c8c36802024445024652076380fecbcac36880c494c7c3688080"
            + "eaa4c3688080eaa4c368";

    /** {@link #aggregate()} as MinuteAggregateSerde version 2 wrote it. */
    private static final String AGGREGATE_V2 = "0200000000000000280000000000000006060000000000000024000000000000000400000000000000000000000000000000"
            + "0000000000000000000000000000000000000005000831302e302e302e3400000008000831302e302e302e33000000080008"
            + "31302e302e302e3000000008000831302e302e302e3200000008000831302e302e302e310000000800000000000000000000"
            + "000200024445000000140002465200000014000000000000000000000003000c2f76312f6f72646572732f300000000e000c"
            + "2f76312f6f72646572732f320000000d000c2f76312f6f72646572732f310000000d00000000000000000000001e4044bda9"
            + "8cdef5d73fefe03455836d6610030000000000000000000000000001004044bda98cdef5d77ff80000000000000000001e40"
            + "080000000000023ccd150874edd5810000000080000000000000000000000002000c6f72646572733a777269746500000001"
            + "0006286e6f6e652900000001000000000000000000000000000000010000000000000100";
    /**
     * {@link #markedAggregate()} as MinuteAggregateSerde version 3 wrote it while rules, severities and auth results
     * were stored by enum position: the explicit stored codes must read it, and write it, byte for byte.
     */
    private static final String AGGREGATE_V3_BY_POSITION = "03280606240400000000050831302e302e302e34080831302e302e302e33080831302e302e302e30080831302e302e302e32"
            + "080831302e302e302e31080002024445140246521400030c2f76312f6f72646572732f300e0c2f76312f6f72646572732f32"
            + "0d0c2f76312f6f72646572732f310d00020c6f72646572733a77726974650106286e6f6e652901003c1e0001804200374044"
            + "bda98cdef5d73fefe03455836d664044bda98cdef5d740080000000000023ccd150874edd5811283800503020104";
    /** {@link #profile()} as KeyProfileSerde version 1 wrote it. */
    private static final String PROFILE_V1 = "0101000001a21c8e08404044bda98cdef5d73fefe03455836d660000001e0000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "422600003f81dafa0000001e0000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "00000000000000000000000000000000000040080000000000023ccd150874edd5810000001e000000008000000000000000"
            + "000001a21c729100000001a21c729100000001a21c8e08400000001f02000244450002465200068000000000000000000001"
            + "a21c7291008000000000000000800000000000000080000000000000008000000000000000";

    /** {@link #profile()} as KeyProfileSerde version 2 wrote it (hour-of-day buckets where version 3 has its model). */
    private static final String PROFILE_V2 = "020d80a1f0c8c3684044bda98cdef5d73fefe03455836d661e8008422600003f81dafa1e40080000000000023ccd150874edd5"
            + "811e001f040e80c494c7c36880c494c7c36880a1f0c8c36802024445024652070280c494c7c368";

    private final MinuteAggregateSerde aggregates = new MinuteAggregateSerde();
    private final KeyProfileSerde profiles = new KeyProfileSerde();

    @Test
    void aMinuteAggregateRoundTripsEveryField() {
        byte[] bytes = aggregates.serializer().serialize("t", aggregate());

        assertThat(describeAll(aggregates.deserializer().deserialize("t", bytes))).isEqualTo(describeAll(aggregate()));
        assertThat(bytes[0]).isEqualTo((byte) 5);

        MinuteAggregate streak = aggregate();
        streak.rateStreakMinutes = 3;
        streak.rateStreakStart = T0 + 28 * MINUTE;
        streak.rateStreakAlerted = true;
        streak.handled = -1L;
        streak.setSpikeCritical(57, true);
        streak.spikeStreakMinutes = 2;
        streak.spikeStreakStart = T0 + 29 * MINUTE;
        streak.spikeStreakAlerted = Severity.MEDIUM.code() + 1;
        streak.dayFactor = 1.25;
        streak.seasonalMean = 44.5;
        streak.anchorMean = 12.5;
        streak.spikeStreakFirstLevel = 15;
        streak.spikeStreakLevel = 45;
        streak.pauseMean = 300;
        MinuteAggregate read = aggregates.deserializer().deserialize("t", aggregates.serializer().serialize("t", streak));
        assertThat(describeAll(read)).isEqualTo(describeAll(streak));
        assertThat(read.spikeStreakAlerted()).isEqualTo(Severity.MEDIUM);
        assertThat(read.anchorMean()).isEqualTo(12.5);
        assertThat(read.spikeStreakLevel()).isEqualTo(45);
        assertThat(read.pauseMean()).isEqualTo(300);
    }

    @Test
    void theLevelBeforeASilenceIsAnOptionalPartOfFormat5ThatOlderValuesDoNotSet() {
        MinuteAggregate lifted = aggregate();
        lifted.burstFreeMean = 20.5;
        byte[] without = aggregates.serializer().serialize("t", lifted);
        lifted.silenceMean = 20;
        byte[] written = aggregates.serializer().serialize("t", lifted);
        // a flag bit of the critical count's byte, and the double after the burst-free expectation
        assertThat(written.length).isEqualTo(without.length + 8);
        assertThat(written[0]).isEqualTo((byte) 5);
        MinuteAggregate read = aggregates.deserializer().deserialize("t", written);
        assertThat(read.silenceMean()).isEqualTo(20);
        assertThat(read.burstFreeMean()).isEqualTo(20.5);
        assertThat(describeAll(read)).isEqualTo(describeAll(lifted));
        // a value written before the part existed reads as no silence level
        assertThat(aggregates.deserializer().deserialize("t", without).silenceMean()).isNaN();
    }

    @Test
    void aSilenceLevelIsAnOptionalPartAfterTheSpikeGapThatOlderProfilesDoNotSet() {
        assertThat(profiles.deserializer().deserialize("t", HexFormat.of().parseHex(PROFILE_V3_LEVELS)).volumeModel()
                .silenceLevel()).isZero();

        KeyProfile profile = fullProfile();
        profile.model.pauseLevel = 300;
        byte[] without = profiles.serializer().serialize("t", profile);
        profile.model.silenceLevel = 20;
        byte[] written = profiles.serializer().serialize("t", profile);
        // one more flag bit (the flags' varint stays two bytes) and a float at the end
        assertThat(written.length).isEqualTo(without.length + 4);
        KeyProfile read = profiles.deserializer().deserialize("t", written);
        assertThat(describeAll(read)).isEqualTo(describeAll(profile));
        assertThat(read.volumeModel().silenceLevel()).isEqualTo(20);
        assertThat(profiles.serializer().serialize("t", read)).isEqualTo(written);
    }

    @Test
    void format5AddsTheExpectationWithoutTheBurstMemoryAndFormat4StillReads() {
        MinuteAggregate lifted = aggregate();
        lifted.burstFreeMean = 20.5;
        byte[] without = aggregates.serializer().serialize("t", aggregate());
        byte[] written = aggregates.serializer().serialize("t", lifted);
        // a flag bit, and the double only when the memory lifted the expectation
        assertThat(written.length).isEqualTo(without.length + 8);
        MinuteAggregate read = aggregates.deserializer().deserialize("t", written);
        assertThat(read.burstFreeMean()).isEqualTo(20.5);
        assertThat(describeAll(read)).isEqualTo(describeAll(lifted));

        // format 4 is format 5 without the flag bit: it reads as no lift
        byte[] v4 = without.clone();
        v4[0] = 4;
        MinuteAggregate old = aggregates.deserializer().deserialize("t", v4);
        assertThat(old.burstFreeMean()).isNaN();
        assertThat(describeAll(old)).isEqualTo(describeAll(aggregate()));
    }

    @Test
    void aMinuteAggregateWrittenByTheVersion2FormatStillReads() {
        MinuteAggregate read = aggregates.deserializer().deserialize("t", HexFormat.of().parseHex(AGGREGATE_V2));

        assertThat(describe(read)).isEqualTo(describe(aggregate()));
    }

    @Test
    void aMinuteAggregateWrittenWhenCodesWerePositionsReadsAndWritesTheSameBytes() {
        byte[] stored = HexFormat.of().parseHex(AGGREGATE_V3_BY_POSITION);

        MinuteAggregate read = aggregates.deserializer().deserialize("t", stored);

        assertThat(describe(read)).isEqualTo(describe(markedAggregate()));
        assertThat(read.alerted(AlertRule.VOLUME_SPIKE)).isEqualTo(Severity.HIGH);
        assertThat(read.alerted(AlertRule.AUTH_FAILURE_BURST)).isEqualTo(Severity.MEDIUM);
        assertThat(read.alerted(AlertRule.SECRET_IN_TELEMETRY)).isEqualTo(Severity.CRITICAL);
        assertThat(read.alerted(AlertRule.UNKNOWN_KEY)).isEqualTo(Severity.LOW);
        assertThat(read.alerted(AlertRule.NEW_COUNTRY)).isNull();
        assertThat(read.authFailures()).isEqualTo(4);
        assertThat(read.handleOnce(AlertRule.KEY_UNUSED)).isFalse();
        assertThat(read.handleOnce(AlertRule.INSECURE_TRANSPORT)).isFalse();
        assertThat(read.handleOnce(AlertRule.KEY_IN_URL)).isTrue();
        // written again, the same bytes but for the number of rule slots, which grows as rules are appended (the
        // sample was written with 18 rules; its marks follow that count: 7 bytes of sparse marks)
        int slots = stored.length - 8;
        assertThat(stored[slots]).as("the sample's rule-slot count").isEqualTo((byte) 18);
        byte[] expected = stored.clone();
        expected[slots] = (byte) AlertRule.codeCount();
        // formats 4 and 5 are format 3 followed by the volume judgement
        byte[] written = aggregates.serializer().serialize("t", markedAggregate());
        assertThat(written[0]).isEqualTo((byte) 5);
        assertThat(Arrays.copyOfRange(written, 1, expected.length)).isEqualTo(Arrays.copyOfRange(expected, 1,
                expected.length));
    }

    @Test
    void aSeverityMarkThisBuildDoesNotKnowReadsAsNotAlerted() {
        MinuteAggregate usage = new MinuteAggregate();
        usage.alerted[AlertRule.IP_FANOUT.code()] = (byte) 0xf0;

        assertThat(usage.alerted(AlertRule.IP_FANOUT)).isNull();
    }

    @Test
    void theCompactFormatsTakeAboutHalfAndAQuarterOfTheOldBytes() {
        int compact = aggregates.serializer().serialize("t", aggregate()).length;
        int profile = profiles.serializer().serialize("t", profile()).length;

        assertThat(compact).isLessThanOrEqualTo(AGGREGATE_V2.length() / 2 * 55 / 100);
        // plus, since format 5, the summed hour's busiest minute, excess and alerts (a flag byte and four varints)
        assertThat(profile).isLessThanOrEqualTo(PROFILE_V1.length() / 2 / 4 + 6);
    }

    @Test
    void aFreshMinuteAndAFreshProfileAreTiny() {
        assertThat(aggregates.serializer().serialize("t", new MinuteAggregate())).hasSizeLessThan(32);
        assertThat(profiles.serializer().serialize("t", new KeyProfile())).hasSizeLessThan(16);
    }

    @Test
    void aProfileRoundTripsEveryField() {
        byte[] bytes = profiles.serializer().serialize("t", profile());

        assertThat(describeAll(profiles.deserializer().deserialize("t", bytes))).isEqualTo(describeAll(profile()));
        assertThat(bytes[0]).isEqualTo((byte) 5);
    }

    @Test
    void aProfileWrittenWhenMarksWerePositionsReadsEachMarkAsItsRule() {
        KeyProfile read = profiles.deserializer().deserialize("t", HexFormat.of().parseHex(PROFILE_V2_BY_POSITION));

        assertThat(describe(read)).isEqualTo(describe(markedProfile()));
        assertThat(read.alertedIn(AlertRule.INSECURE_TRANSPORT, T0 + 60 * MINUTE)).isTrue();
        assertThat(read.alertedIn(AlertRule.KEY_IN_URL, T0)).isTrue();
        assertThat(read.alertedIn(AlertRule.KEY_UNUSED, T0 - 600 * MINUTE)).isTrue();
        assertThat(read.alertedIn(AlertRule.SECRET_IN_TELEMETRY, T0 - 600 * MINUTE)).isTrue();
        assertThat(read.everAlerted(AlertRule.UNKNOWN_KEY)).isFalse();
        assertThat(read.everAlerted(AlertRule.KEY_EXPIRING)).isFalse();
    }

    /**
     * Format 3 keeps the marks as pairs of the rule's stored code and the window start, at the end of the profile:
     * pinned here (count 4, then code 9 = KEY_IN_URL first, as it was marked first). Format 2 had a slot count (7), a
     * bit per set slot, then the times.
     */
    @Test
    void aProfileStoresItsMarksByRuleCode() {
        byte[] v2 = HexFormat.of().parseHex(PROFILE_V2_BY_POSITION);
        byte[] v3 = profiles.serializer().serialize("t", markedProfile());
        int v2Marks = v2.length - 1 - 1 - 4 * 6;
        assertThat(v2[v2Marks]).isEqualTo((byte) 7);

        assertThat(v3[0]).isEqualTo((byte) 5);
        assertThat(HexFormat.of().formatHex(v3)).endsWith("04" + "09" + "80c494c7c368" + "08" + "80fecbcac368" + "0d"
                + "8080eaa4c368" + "10" + "8080eaa4c368");
    }

    /** {@link #markedProfile()} with every part of the volume model set (format 3, as this build writes it). */
    static KeyProfile fullProfile() {
        KeyProfile profile = markedProfile();
        VolumeModel model = profile.model;
        model.hourLevel[9] = 120.5f;
        model.hourDays[9] = 4;
        model.hourLevel[23] = 2.25f;
        model.hourDays[23] = 3;
        model.dayFactor[0] = 1.25f;
        model.dayWeeks[0] = 2;
        model.dayFactor[5] = 0.25f;
        model.dayWeeks[5] = 1;
        model.dayStart = T0 - 10 * 60 * MINUTE;
        model.daySum = 5000.5;
        model.dayExpected = 4800.25;
        model.dispersion = 0.125;
        model.dispersionMinutes = 1440;
        model.anchor = 40.5;
        model.anchorMinutes = 360;
        model.spikeMinutes = 31;
        model.spikeStart = T0 + 5 * MINUTE;
        model.spikeSum = 1234.5;
        model.spikeAlerted = Severity.HIGH.code() + 1;
        model.spikeGrace = 29;
        model.dropMinutes = 2;
        model.dropStart = T0 + 20 * MINUTE;
        model.dropSum = 3;
        model.dropAlertedStart = T0 + 20 * MINUTE;
        // version 5's recurring peaks have their own test: without them, the bytes are version 3's
        model.hourMax = 0;
        model.hourExcessSum = 0;
        return profile;
    }

    /**
     * {@link #fullProfile()} as format 3 writes it (hours, days, running sums, dispersion, slow anchor, both streaks,
     * marks): a refactor must not change the layout unnoticed. Once released, a changed layout needs a new version.
     */
    private static final String PROFILE_V3_FULL = "030d80a1f0c8c3684044bda98cdef5d73fefe03455836d661eff038084800442f10000044010000003213fa00000023e8000"
            + "000180c494c7c36840937400000000001e8080eaa4c36840b388800000000040b2c040000000003e000000a00b1fc093b9c7"
            + "c36840934a0000000000031d028082a7c8c36840080000000000008082a7c8c36842220000e80240080000000000023ccd15"
            + "0874edd5811e001f040e80c494c7c36880c494c7c36880a1f0c8c36802024445024652040980c494c7c3680880fecbcac368"
            + "0d8080eaa4c368108080eaa4c368";

    @Test
    void aFullVersion3ProfileKeepsItsBytes() {
        byte[] written = profiles.serializer().serialize("t", fullProfile());

        // written as version 5, which is version 3's layout
        assertThat(HexFormat.of().formatHex(written)).isEqualTo("05" + PROFILE_V3_FULL.substring(2));
        KeyProfile read = profiles.deserializer().deserialize("t", HexFormat.of().parseHex(PROFILE_V3_FULL));
        assertThat(profiles.serializer().serialize("t", read)).isEqualTo(written);
        assertThat(describe(read)).isEqualTo(describe(fullProfile()));
        VolumeModel model = read.volumeModel();
        assertThat(model.hourLevel[9]).isEqualTo(120.5f);
        assertThat(model.dayFactor[5]).isEqualTo(0.25f);
        assertThat(model.dispersion()).isEqualTo(0.125);
        assertThat(model.anchor()).isEqualTo(40.5);
        assertThat(model.spikeStreakMinutes()).isEqualTo(31);
        assertThat(model.spikeStreakAlerted()).isEqualTo(Severity.HIGH.code() + 1);
        assertThat(model.spikeGrace).isEqualTo(29);
        assertThat(model.dropStreakStart()).isEqualTo(T0 + 20 * MINUTE);
        assertThat(model.dropStreakAlerted()).isTrue();
    }

    /**
     * {@link #fullProfile()} with a streak that raised VOLUME_SPIKE (at 15, last at 45 requests a minute) and the level
     * before a pause: two optional parts after the anchor, whose flags format 3 profiles without them do not set.
     */
    private static final String PROFILE_V3_LEVELS = "030d80a1f0c8c3684044bda98cdef5d73fefe03455836d661eff0f8084800442f10000044010000003213fa00000023e8000"
            + "000180c494c7c36840937400000000001e8080eaa4c36840b388800000000040b2c040000000003e000000a00b1fc093b9c7"
            + "c36840934a0000000000031d028082a7c8c36840080000000000008082a7c8c36842220000e8024170000042340000439600"
            + "0040080000000000023ccd150874edd5811e001f040e80c494c7c36880c494c7c36880a1f0c8c36802024445024652040980"
            + "c494c7c3680880fecbcac3680d8080eaa4c368108080eaa4c368";

    @Test
    void aVersion3ProfileWithSpikeLevelsAndAPauseLevelKeepsItsBytes() {
        KeyProfile profile = fullProfile();
        profile.model.spikeFirstLevel = 15;
        profile.model.spikeLevel = 45;
        profile.model.pauseLevel = 300;
        byte[] written = profiles.serializer().serialize("t", profile);

        assertThat(HexFormat.of().formatHex(written)).isEqualTo("05" + PROFILE_V3_LEVELS.substring(2));
        KeyProfile read = profiles.deserializer().deserialize("t", written);
        assertThat(describeAll(read)).isEqualTo(describeAll(profile));
        assertThat(read.volumeModel().spikeStreakFirstLevel()).isEqualTo(15);
        assertThat(read.volumeModel().spikeStreakLevel()).isEqualTo(45);
        assertThat(read.volumeModel().pauseLevel()).isEqualTo(300);
    }

    @Test
    void aBurstLevelIsAnOptionalPartAfterThePauseLevelThatOlderProfilesDoNotSet() {
        // bytes written before the burst level existed still read, as no burst
        assertThat(profiles.deserializer().deserialize("t", HexFormat.of().parseHex(PROFILE_V3_LEVELS)).volumeModel()
                .burstLevel()).isZero();

        KeyProfile profile = fullProfile();
        profile.model.pauseLevel = 300;
        byte[] without = profiles.serializer().serialize("t", profile);
        profile.model.burstLevel = 150;
        byte[] written = profiles.serializer().serialize("t", profile);
        // one more flag bit (the flags' varint stays two bytes) and a float after the pause level
        assertThat(written.length).isEqualTo(without.length + 4);
        KeyProfile read = profiles.deserializer().deserialize("t", written);
        assertThat(describeAll(read)).isEqualTo(describeAll(profile));
        assertThat(read.volumeModel().burstLevel()).isEqualTo(150);
        assertThat(profiles.serializer().serialize("t", read)).isEqualTo(written);
    }

    /**
     * The streak gap and the silence level sit mid-value: a build that reads version 3 without them would misread the
     * rest of the profile, so values with them are version 4, which that build refuses (an unknown version). From
     * version 4 a part this build does not know is refused too, never skipped blind.
     */
    @Test
    void profilesWithTheNewerPartsAreVersion4AndAnUnknownPartIsRefused() {
        KeyProfile profile = fullProfile();
        profile.model.spikeGap = 2;
        profile.model.silenceLevel = 20;
        byte[] written = profiles.serializer().serialize("t", profile);
        assertThat(written[0]).isEqualTo((byte) 5);
        // the same bytes labelled version 3 (as builds between the parts and this one wrote them) read the same
        byte[] asVersion3 = written.clone();
        asVersion3[0] = 3;
        assertThat(describeAll(profiles.deserializer().deserialize("t", asVersion3))).isEqualTo(describeAll(profile));

        byte[] unknownProfilePart = written.clone();
        unknownProfilePart[1] |= 0x40;
        assertThatThrownBy(() -> KeyProfileSerde.read(unknownProfilePart))
                .isInstanceOf(SerializationException.class).hasMessageContaining("does not know");

        CompactWriter model = new CompactWriter(8);
        model.writeVarLong(1 << 16);
        assertThatThrownBy(() -> VolumeModel.readFrom(new CompactReader(model.toByteArray(), 0)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("does not know");
        assertThatThrownBy(() -> KeyProfileSerde.read(new byte[] {6, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("version 6");
    }

    /**
     * Version 5 adds each hour's recurring peak and the summed hour's busiest minute, after the silence level: values
     * without them keep their bytes but the version, and version 4 values read as no peaks.
     */
    @Test
    void version5AddsRecurringPeaksAndVersion4StillReads() {
        KeyProfile profile = fullProfile();
        profile.model.silenceLevel = 20;
        byte[] without = profiles.serializer().serialize("t", profile);
        profile.model.hourPeak[3] = 200.5f;
        profile.model.hourLastMax[3] = 210;
        profile.model.hourExcess[3] = 230.25f;
        profile.model.hourLastExcess[3] = 250;
        profile.model.hourLastMax[4] = 3;
        profile.model.hourMax = 190;
        profile.model.hourExcessSum = 300.5;
        profile.model.hourAlertedMax = 5;
        profile.model.hourAlertedExcess = 4.25;
        byte[] written = profiles.serializer().serialize("t", profile);
        assertThat(written[0]).isEqualTo((byte) 5);
        // the flags' varint grows a byte; a mask of hours, four varints per hour (peak and total in eighths: 1604,
        // 210, 1842, 250; 0, 3, 0, 0), the hour's busiest minute, excess (in eighths: 2404), largest alerted count and
        // alerted excess (34)
        assertThat(written.length).isEqualTo(without.length + 1 + 1 + (2 + 2 + 2 + 2) + (1 + 1 + 1 + 1) + (2 + 2 + 1 + 1));
        assertThat(without[0]).isEqualTo((byte) 5);
        KeyProfile read = profiles.deserializer().deserialize("t", written);
        assertThat(describeAll(read)).isEqualTo(describeAll(profile));
        assertThat(profiles.serializer().serialize("t", read)).isEqualTo(written);

        byte[] v4 = without.clone();
        v4[0] = 4;
        KeyProfile old = profiles.deserializer().deserialize("t", v4);
        assertThat(old.volumeModel().hourPeak).containsOnly(0f);
        assertThat(old.volumeModel().hourExcess).containsOnly(0f);
        assertThat(old.volumeModel().hourMax).isZero();
        assertThat(profiles.serializer().serialize("t", old)).isEqualTo(without);
    }

    @Test
    void aForgedRecurringPeakReadsBoundedNeverNegativeOrBeyondWhatIsWritten() {
        CompactWriter model = new CompactWriter(32);
        model.writeVarLong(1 << 14);
        model.writeVarLong(0b11);
        model.writeVarLong(-8);
        model.writeVarLong(5);
        model.writeVarLong(Long.MAX_VALUE);
        model.writeVarLong(5);
        model.writeVarLong(Long.MAX_VALUE);
        model.writeVarLong(-1);
        model.writeVarLong(-1);
        model.writeVarLong(-1);

        VolumeModel read = VolumeModel.readFrom(new CompactReader(model.toByteArray(), 0));

        assertThat(read.hourPeak[0]).isZero();
        assertThat(read.hourExcess[0]).isEqualTo(1e15f);
        assertThat(read.hourPeak[1]).isEqualTo(1e15f);
        assertThat(read.hourLastMax[1]).isZero();
        assertThat(read.hourExcess[1]).isZero();
        assertThat(read.hourLastExcess[1]).isZero();
    }

    @Test
    void aRecurringPeakIsAnOptionalPartOfMinuteFormat5ThatOlderValuesDoNotSet() {
        MinuteAggregate lifted = aggregate();
        lifted.silenceMean = 20;
        byte[] without = aggregates.serializer().serialize("t", lifted);
        lifted.recurringPeak = 200.5;
        lifted.peakAllowance = 120;
        byte[] written = aggregates.serializer().serialize("t", lifted);
        // a flag bit of the critical count's byte, and two doubles at the end
        assertThat(written.length).isEqualTo(without.length + 16);
        MinuteAggregate read = aggregates.deserializer().deserialize("t", written);
        assertThat(read.recurringPeak()).isEqualTo(200.5);
        assertThat(read.peakAllowance()).isEqualTo(120);
        assertThat(describeAll(read)).isEqualTo(describeAll(lifted));
        assertThat(aggregates.deserializer().deserialize("t", without).recurringPeak()).isNaN();
    }

    @Test
    void anyRuleKeepsAWindowMarkAndItRoundTrips() {
        KeyProfile profile = markedProfile();
        profile.markAlerted(AlertRule.KEY_OVERPRIVILEGED, T0 - 3 * 24 * 60 * MINUTE);

        KeyProfile read = profiles.deserializer().deserialize("t", profiles.serializer().serialize("t", profile));

        assertThat(describe(read)).isEqualTo(describe(profile));
        assertThat(read.alertedIn(AlertRule.KEY_OVERPRIVILEGED, T0 - 3 * 24 * 60 * MINUTE)).isTrue();
    }

    /**
     * In the stores, a profile this build cannot read is none (the key learns again), never an exception: thrown, it
     * would dead-letter every event of the key and stall the hygiene scan at it.
     */
    @Test
    void inTheStoresAnUnreadableProfileReadsAsNone() {
        byte[] profile = profiles.serializer().serialize("t", profile());
        byte[] newer = profile.clone();
        newer[0] = 6;

        assertThat(profiles.deserializer().deserialize("t", newer)).isNull();
        assertThat(profiles.deserializer().deserialize("t", Arrays.copyOf(profile, 9))).isNull();
        assertThat(profiles.deserializer().deserialize("t", new byte[0])).isNull();
        assertThat(describeAll(profiles.deserializer().deserialize("t", profile))).isEqualTo(describeAll(profile()));
    }

    @Test
    void aProfileWithMoreMarksThanRuleCodesIsASerializationError() {
        byte[] v3 = profiles.serializer().serialize("t", new KeyProfile());
        byte[] corrupt = Arrays.copyOf(v3, v3.length);
        corrupt[corrupt.length - 1] = (byte) 65; // the mark count, the last byte of a profile without marks

        assertThatThrownBy(() -> KeyProfileSerde.read(corrupt))
                .isInstanceOf(SerializationException.class).hasMessageContaining("at most 64 window marks");
    }

    @Test
    void aProfileWrittenByTheVersion1FormatStillReads() {
        KeyProfile read = profiles.deserializer().deserialize("t", HexFormat.of().parseHex(PROFILE_V1));

        assertThat(describe(read)).isEqualTo(describe(profile()));
        // its hour-of-day bucket (30 minutes of about 41.5 requests) is the model's level of that hour, not warm yet
        assertThat(read.model.hourLevel[10]).isBetween(41f, 42f);
        assertThat(read.model.hourDays[10]).isZero();
        assertThat(read.hourVolume(T0)).isNaN();
    }

    @Test
    void aProfileWrittenByTheVersion2FormatStillReads() {
        KeyProfile read = profiles.deserializer().deserialize("t", HexFormat.of().parseHex(PROFILE_V2));

        assertThat(describe(read)).isEqualTo(describe(profile()));
        assertThat(read.model.hourLevel[10]).isBetween(41f, 42f);
        assertThat(read.hourVolume(T0)).isNaN();
        // and it goes on learning in the new format
        assertThat(read.advanceTo(T0 + 32 * MINUTE, 41, 3, 0.1, 100)).isTrue();
        assertThat(describeAll(profiles.deserializer().deserialize("t", profiles.serializer().serialize("t", read))))
                .isEqualTo(describeAll(read));
    }

    @Test
    void aTruncatedOrUnknownValueIsASerializationErrorNotAWrongValue() {
        byte[] bytes = aggregates.serializer().serialize("t", aggregate());
        byte[] profile = profiles.serializer().serialize("t", profile());

        assertThatThrownBy(() -> aggregates.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> KeyProfileSerde.read(Arrays.copyOf(profile, 9)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> aggregates.deserializer().deserialize("t", new byte[] {9, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("version 9");
    }

    @Test
    void aCountOrLengthOutOfRangeIsASerializationError() {
        byte[] minusOne = {-1, -1, -1, -1, -1, -1, -1, -1, -1, 1};
        byte[] tooLong = {-1, -1, -1, -1, 15};

        assertThatThrownBy(() -> new CompactReader(minusOne, 0).readString())
                .isInstanceOf(SerializationException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> new CompactReader(tooLong, 0).readString())
                .isInstanceOf(SerializationException.class);
    }

    /** Every field, in a form that does not depend on hash iteration order. */
    private static String describe(MinuteAggregate a) {
        return String.join("|", "req=" + a.requests, "err=" + a.errors, "auth=" + Arrays.toString(a.authResults),
                counts(a.clientIps), counts(a.countries), counts(a.paths), counts(a.violatedScopes),
                "base=" + a.baselineMinutes + "/" + a.baselineMean + "/" + a.baselineDeviation + "/" + a.recentMean
                        + "/" + a.hourMean,
                "ip=" + a.ipBaselineMinutes + "/" + a.ipBaselineMean + "/" + a.ipBaselineDeviation,
                "streak=" + a.rateStreakMinutes + "/" + a.rateStreakStart + "/" + a.rateStreakAlerted,
                "accepted=" + a.scopeViolationsAccepted, "alerted=" + Arrays.toString(a.alerted),
                "handled=" + a.handled);
    }

 /** Every field but the volume model's (formats 1 and 2 had hour-of-day buckets in its place). */
    private static String describe(KeyProfile p) {
        return String.join("|", "volume=" + p.volume,
                "ip=" + p.ipMean + "/" + p.ipDeviation + "/" + p.ipMinutes,
                "streak=" + p.rateStreakMinutes + "/" + p.rateStreakStart + "/" + p.rateAlertedStreakStart,
                "seen=" + p.firstSeenMinute + "/" + p.lastSeenMinute + "/" + p.activeMinutes,
                "countries=" + p.countries + "/" + p.countriesSaturated, "marks=" + p.marks);
    }

    private static String describeAll(KeyProfile p) {
        return describe(p) + "|" + describe(p.model);
    }

    private static String describe(VolumeModel m) {
        return String.join("|", "hours=" + Arrays.toString(m.hourLevel) + Arrays.toString(m.hourDays),
                "days=" + Arrays.toString(m.dayFactor) + Arrays.toString(m.dayWeeks),
                "hour=" + m.hourStart + "/" + m.hourSum + "/" + m.hourMinutes,
                // a day's sums are only kept once a warm hour expected something of it
                "day=" + (m.dayExpected > 0 ? m.dayStart + "/" + m.daySum + "/" + m.dayExpected : "-"),
                "k=" + (float) m.dispersion + "/" + m.dispersionMinutes,
                "spike=" + m.spikeMinutes + "/" + m.spikeStart + "/" + m.spikeSum + "/" + m.spikeAlerted + "/"
                        + m.spikeGrace,
                "anchor=" + (float) m.anchor + "/" + m.anchorMinutes,
                "levels=" + m.spikeFirstLevel + "/" + m.spikeLevel + "/" + (float) m.pauseLevel + "/"
                        + (float) m.burstLevel + "/" + (float) m.silenceLevel,
                "drop=" + m.dropMinutes + "/" + m.dropStart + "/" + m.dropSum + "/" + m.dropAlertedStart,
                "peaks=" + Arrays.toString(m.hourPeak) + Arrays.toString(m.hourLastMax) + Arrays.toString(m.hourExcess)
                        + Arrays.toString(m.hourLastExcess) + "/" + m.hourMax + "/" + m.hourExcessSum + "/"
                        + m.hourAlertedMax + "/" + m.hourAlertedExcess);
    }

    /** With the volume judgement of formats 4 and 5. */
    private static String describeAll(MinuteAggregate a) {
        return describe(a) + "|" + String.join("|", "rhythm=" + a.seasonalMean + "/" + a.dayFactor + "/" + a.dropMean,
                "k=" + a.dispersion, "anchor=" + a.anchorMean, "critical=" + a.spikeCritical + "/" + a.spikeCriticalExact,
                "spike=" + a.spikeStreakMinutes + "/" + a.spikeStreakStart + "/" + a.spikeStreakAlerted + "/"
                        + a.spikeStreakFirstLevel + "/" + a.spikeStreakLevel,
                "pause=" + a.pauseMean, "burstFree=" + a.burstFreeMean, "silence=" + a.silenceMean,
                "peak=" + a.recurringPeak + "/" + a.peakAllowance);
    }

    private static String counts(CappedCounts counts) {
        return counts.top(Integer.MAX_VALUE) + "+" + counts.untracked();
    }
}
