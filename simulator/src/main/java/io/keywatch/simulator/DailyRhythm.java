package io.keywatch.simulator;

import java.time.Instant;

/**
 * A key's daily traffic shape: a sinusoid over the UTC hour of the event time, averaging 1 over a day, highest at
 * {@code peakHourUtc} ({@code 1 + amplitude}) and lowest twelve hours later ({@code 1 - amplitude}).
 */
public record DailyRhythm(double peakHourUtc, double amplitude) {

    private static final double SECONDS_PER_DAY = 86_400;

    public DailyRhythm {
        if (amplitude < 0 || amplitude >= 1) {
            throw new IllegalArgumentException("amplitude must be in [0, 1), got " + amplitude);
        }
    }

    /** The multiplier on the key's mean rate at {@code time}. */
    public double factorAt(Instant time) {
        double hourOfDay = Math.floorMod(time.getEpochSecond(), (long) SECONDS_PER_DAY) / 3600.0;
        return 1 + amplitude * Math.cos(2 * Math.PI * (hourOfDay - peakHourUtc) / 24);
    }
}
