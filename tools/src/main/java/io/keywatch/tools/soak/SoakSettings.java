package io.keywatch.tools.soak;

import java.time.Duration;

/**
 * One soak run's shape.
 *
 * @param traffic      how long traffic is published, in real time
 * @param kills        how many times the streams child is killed with SIGKILL (every third kill takes the api too)
 * @param rate         ordinary events per second, about
 * @param keys         simulated keys
 * @param hostileShare share of hostile records, one after about this fraction of ordinary records
 * @param seed         seeds the traffic, the hostile records and the kill moments
 * @param drainTimeout how long to wait, after traffic, for the pipeline to catch up
 */
public record SoakSettings(Duration traffic, int kills, int rate, int keys, double hostileShare, long seed,
                           Duration drainTimeout) {

    public SoakSettings {
        if (traffic.toSeconds() < 10) {
            throw new IllegalArgumentException("the soak needs at least 10 s of traffic, got " + traffic);
        }
        if (kills < 0 || kills > 100) {
            throw new IllegalArgumentException("kills must be between 0 and 100, got " + kills);
        }
        if (rate < 1 || rate > 20_000) {
            throw new IllegalArgumentException("rate must be between 1 and 20,000 events/s, got " + rate);
        }
        if (keys < 1 || keys > 10_000) {
            throw new IllegalArgumentException("keys must be between 1 and 10,000, got " + keys);
        }
        if (!(hostileShare >= 0 && hostileShare <= 1)) {
            throw new IllegalArgumentException("hostile share must be between 0 and 1, got " + hostileShare);
        }
    }
}
