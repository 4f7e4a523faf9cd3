package io.keywatch.simulator;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The simulator's randomness, all of it derived from the seed. Each (key, second) and each incident gets its own
 * generator seeded from a hash of its coordinates, so any slice of time comes out the same however it is generated:
 * one long backfill, many short ones, or second by second in real time.
 */
final class RandomDraws {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private RandomDraws() {
    }

    /** A generator determined by the given coordinates (seed first). */
    static SplittableRandom forCoordinates(long... coordinates) {
        long h = GOLDEN_GAMMA;
        for (long c : coordinates) {
            h = mix((h + GOLDEN_GAMMA) ^ c);
        }
        return new SplittableRandom(h);
    }

    /** SplitMix64's finaliser: a good 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A version-4 UUID whose bits come from {@code rng}, so event ids repeat with the seed. */
    static UUID uuid(SplittableRandom rng) {
        long hi = (rng.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (rng.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo);
    }

    /** How many arrivals a Poisson process with mean {@code lambda} has in one interval. */
    static int poisson(SplittableRandom rng, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 40) {
            // normal approximation: exact enough at this size and O(1) for high rate scales
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.nextGaussian()));
        }
        // Knuth: multiply uniforms until the product falls below e^-lambda
        double limit = Math.exp(-lambda);
        double product = rng.nextDouble();
        int n = 0;
        while (product > limit) {
            n++;
            product *= rng.nextDouble();
        }
        return n;
    }

    /** A log-normal draw with the given median; {@code sigma} is the spread of its logarithm. */
    static double logNormal(SplittableRandom rng, double median, double sigma) {
        return median * Math.exp(sigma * rng.nextGaussian());
    }

    static <T> T pick(SplittableRandom rng, List<T> items) {
        return items.get(rng.nextInt(items.size()));
    }

    /** Picks index i with probability weights[i] / sum(weights). */
    static int weightedIndex(SplittableRandom rng, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double r = rng.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
