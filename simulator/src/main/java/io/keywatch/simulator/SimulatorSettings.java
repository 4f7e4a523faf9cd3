package io.keywatch.simulator;

import io.keywatch.events.Env;
import java.time.Duration;
import java.util.Map;

/**
 * What the traffic simulator produces.
 *
 * @param keys             how many API keys make traffic
 * @param seed             the same seed gives the same keys and the same events, run after run
 * @param rateScale        multiplies every key's rate (2.0 = twice the traffic), for load tests
 * @param minRatePerMinute the quietest key's mean rate, before the daily rhythm and {@code rateScale}
 * @param maxRatePerMinute the busiest key's mean rate; key rates spread log-normally between the two
 * @param incidentInterval time between two demo incidents in real-time mode; zero turns them off
 * @param backfill         history generated before real time starts, so that per-key baselines are warm; zero for none
 */
public record SimulatorSettings(
        int keys,
        long seed,
        double rateScale,
        double minRatePerMinute,
        double maxRatePerMinute,
        Duration incidentInterval,
        Duration backfill) {

    public static final int MAX_KEYS = 100_000;
    public static final SimulatorSettings DEFAULTS =
            new SimulatorSettings(50, 42L, 1.0, 2.0, 120.0, Duration.ofSeconds(60), Duration.ofMinutes(30));

    public SimulatorSettings {
        if (keys < 1 || keys > MAX_KEYS) {
            throw new IllegalArgumentException("keys must be between 1 and " + MAX_KEYS + ", got " + keys);
        }
        if (!(rateScale > 0) || Double.isInfinite(rateScale)) {
            throw new IllegalArgumentException("rateScale must be a positive number, got " + rateScale);
        }
        if (!(minRatePerMinute > 0) || !(maxRatePerMinute >= minRatePerMinute) || Double.isInfinite(maxRatePerMinute)) {
            throw new IllegalArgumentException("rates per minute must satisfy 0 < min <= max, got min "
                    + minRatePerMinute + " and max " + maxRatePerMinute);
        }
        requireNotNegative(incidentInterval, "incidentInterval");
        requireNotNegative(backfill, "backfill");
    }

    /**
     * Reads {@code KEYWATCH_SIM_*} variables; anything unset or blank keeps its default. A value that cannot be
     * used throws {@link IllegalArgumentException} naming the variable and what it expects.
     */
    public static SimulatorSettings fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        SimulatorSettings d = DEFAULTS;
        int keys = env.integer("KEYWATCH_SIM_KEYS", d.keys);
        long seed = env.read("KEYWATCH_SIM_SEED", d.seed, Long::parseLong, "a whole number");
        double scale = env.read("KEYWATCH_SIM_RATE_SCALE", d.rateScale, Double::parseDouble, "a number");
        double min = env.read("KEYWATCH_SIM_MIN_RATE_PER_MINUTE", d.minRatePerMinute, Double::parseDouble, "a number");
        double max = env.read("KEYWATCH_SIM_MAX_RATE_PER_MINUTE", d.maxRatePerMinute, Double::parseDouble, "a number");
        long intervalSeconds = env.read("KEYWATCH_SIM_INCIDENT_INTERVAL_SECONDS",
                d.incidentInterval.toSeconds(), Long::parseLong, "a whole number of seconds (0 = no incidents)");
        long backfillMinutes = env.read("KEYWATCH_SIM_BACKFILL_MINUTES",
                d.backfill.toMinutes(), Long::parseLong, "a whole number of minutes (0 = no backfill)");
        try {
            return new SimulatorSettings(keys, seed, scale, min, max,
                    Duration.ofSeconds(intervalSeconds), Duration.ofMinutes(backfillMinutes));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid KEYWATCH_SIM_* settings: " + e.getMessage(), e);
        }
    }

    public boolean demoIncidents() {
        return !incidentInterval.isZero();
    }

    public SimulatorSettings withKeys(int keys) {
        return new SimulatorSettings(keys, seed, rateScale, minRatePerMinute, maxRatePerMinute, incidentInterval, backfill);
    }

    public SimulatorSettings withSeed(long seed) {
        return new SimulatorSettings(keys, seed, rateScale, minRatePerMinute, maxRatePerMinute, incidentInterval, backfill);
    }

    public SimulatorSettings withRateScale(double rateScale) {
        return new SimulatorSettings(keys, seed, rateScale, minRatePerMinute, maxRatePerMinute, incidentInterval, backfill);
    }

    public SimulatorSettings withRates(double minRatePerMinute, double maxRatePerMinute) {
        return new SimulatorSettings(keys, seed, rateScale, minRatePerMinute, maxRatePerMinute, incidentInterval, backfill);
    }

    private static void requireNotNegative(Duration value, String name) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive, got " + value);
        }
    }
}
