package io.keywatch.streams.aggregate;

import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.numbers.gamma.RegularizedBeta;
import org.apache.commons.numbers.gamma.RegularizedGamma;

/**
 * Tail probabilities of a minute's request count under an overdispersed count model: negative binomial with mean
 * {@code mu} and variance {@code mu + k mu^2} ({@code k}, the dispersion, learnt from the key's own deviation), Poisson
 * when {@code k = 0}. The tails come from the regularized gamma and beta functions (Apache Commons Numbers), so they
 * stay accurate far out (1e-12 and below), where a normal approximation of a small count is useless. Beyond
 * {@value #NORMAL_ABOVE} expected requests a minute (where the series of those functions may not converge, and a
 * normal approximation is good), and whenever they do not converge, the tails are the normal approximation's: a
 * count is the attacker's to choose, and judging it must never throw.
 */
public final class CountTail {

    /** Dispersions below this are Poisson (a negative binomial with a huge size is one, and slower to compute). */
    private static final double POISSON_BELOW = 1e-6;
    static final double NORMAL_ABOVE = 1e6;

    private CountTail() {
    }

    /** P(X >= x). */
    public static double upper(long x, double mu, double k) {
        if (x <= 0) {
            return 1.0;
        }
        if (!(mu > 0)) {
            return 0.0;
        }
        if (mu > NORMAL_ABOVE || x > NORMAL_ABOVE * 100) {
            return normalUpper(x, mu, k);
        }
        try {
            if (k < POISSON_BELOW) {
                // P(X >= x) = P(x, mu), the lower regularized gamma function
                return RegularizedGamma.P.value(x, mu);
            }
            double r = 1.0 / k;
            // P(X >= x) = I_{mu/(r+mu)}(x, r)
            return RegularizedBeta.value(mu / (r + mu), x, r);
        } catch (ArithmeticException notConverged) {
            return normalUpper(x, mu, k);
        }
    }

    /** P(X <= x) of the normal with the model's mean and variance (continuity-corrected). */
    private static double normalLower(double x, double mu, double k) {
        double sd = Math.sqrt(mu + k * mu * mu);
        return 0.5 * Erfc.value((mu - x - 0.5) / (sd * Math.sqrt(2)));
    }

    /** P(X >= x) of the normal with the model's mean and variance (continuity-corrected). */
    private static double normalUpper(double x, double mu, double k) {
        double sd = Math.sqrt(mu + k * mu * mu);
        return 0.5 * Erfc.value((x - 0.5 - mu) / (sd * Math.sqrt(2)));
    }

    /** P(X <= x). */
    public static double lower(long x, double mu, double k) {
        if (x < 0) {
            return 0.0;
        }
        if (!(mu > 0)) {
            return 1.0;
        }
        if (mu > NORMAL_ABOVE || x > NORMAL_ABOVE * 100) {
            return normalLower(x, mu, k);
        }
        try {
            if (k < POISSON_BELOW) {
                // P(X <= x) = Q(x + 1, mu), the upper regularized gamma function (accurate when small)
                return RegularizedGamma.Q.value(x + 1.0, mu);
            }
            double r = 1.0 / k;
            return RegularizedBeta.complement(mu / (r + mu), x + 1.0, r);
        } catch (ArithmeticException notConverged) {
            return normalLower(x, mu, k);
        }
    }

    /**
     * The smallest count {@code x >= 1} with {@code P(X >= x) <= p}: a minute reaching it is improbable at level p.
     * Found once when a key's minute opens, so the per-event check is a comparison.
     */
    public static long criticalHigh(double mu, double k, double p) {
        if (!(mu > 0)) {
            return 1;
        }
        // bracket: double the step above mu until the tail is small enough, then bisect
        long lo = Math.max(0, (long) Math.floor(mu));
        long step = Math.max(1, (long) Math.ceil(Math.sqrt(mu + k * mu * mu)));
        long hi = lo + step;
        while (upper(hi, mu, k) > p) {
            lo = hi;
            step *= 2;
            hi = lo + step;
            if (hi > (1L << 53)) {
                return Long.MAX_VALUE;
            }
        }
        // invariant: upper(lo) > p (or lo = floor(mu), whose tail is about a half), upper(hi) <= p
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (upper(mid, mu, k) > p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.max(1, hi);
    }

    /**
     * The largest count {@code x >= 0} with {@code P(X <= x) <= p}, or -1 when even a minute without requests is not
     * improbable at level p (a small expected count).
     */
    public static long criticalLow(double mu, double k, double p) {
        if (!(mu > 0) || lower(0, mu, k) > p) {
            return -1;
        }
        long lo = 0;
        long hi = Math.max(1, (long) Math.ceil(mu));
        // invariant: lower(lo) <= p; lower(hi) > p (the median's lower tail is about a half)
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (lower(mid, mu, k) <= p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
