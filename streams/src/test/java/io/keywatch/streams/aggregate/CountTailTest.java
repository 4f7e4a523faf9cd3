package io.keywatch.streams.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/** The count model's tails, against values computed by hand (Poisson sums) and the negative binomial's own sums. */
class CountTailTest {

    @Test
    void poissonTailsMatchTheirSums() {
        // P(X >= 3 | 2) = 1 - e^-2 (1 + 2 + 2) = 0.3233235838
        assertThat(CountTail.upper(3, 2, 0)).isCloseTo(0.3233235838, within(1e-9));
        // P(X <= 1 | 5) = e^-5 (1 + 5) = 0.0404276819
        assertThat(CountTail.lower(1, 5, 0)).isCloseTo(0.0404276819, within(1e-9));
        assertThat(CountTail.upper(0, 5, 0)).isEqualTo(1.0);
        assertThat(CountTail.lower(-1, 5, 0)).isEqualTo(0.0);
    }

    @Test
    void negativeBinomialTailsMatchTheirSums() {
        double mu = 7;
        double k = 0.3;
        double r = 1 / k;
        double p = r / (r + mu);
        // P(X = n) = Gamma(n + r) / (n! Gamma(r)) p^r (1 - p)^n, summed term by term
        double term = Math.pow(p, r);
        double below = 0;
        for (int n = 0; n < 12; n++) {
            below += term;
            term *= (n + r) / (n + 1) * (1 - p);
        }
        assertThat(CountTail.lower(11, mu, k)).isCloseTo(below, within(1e-12));
        assertThat(CountTail.upper(12, mu, k)).isCloseTo(1 - below, within(1e-12));
        // more variance, fatter tail
        assertThat(CountTail.upper(30, mu, k)).isGreaterThan(CountTail.upper(30, mu, 0) * 1000);
    }

    @Test
    void criticalCountsAreTheFirstImprobableOnes() {
        for (double mu : new double[] {0.2, 5, 60, 500, 6000}) {
            for (double k : new double[] {0, 0.01, 0.5}) {
                long high = CountTail.criticalHigh(mu, k, 1e-6);
                assertThat(CountTail.upper(high, mu, k)).as("mu %s k %s", mu, k).isLessThanOrEqualTo(1e-6);
                assertThat(CountTail.upper(high - 1, mu, k)).as("mu %s k %s", mu, k).isGreaterThan(1e-6);
                long low = CountTail.criticalLow(mu, k, 1e-6);
                if (low >= 0) {
                    assertThat(CountTail.lower(low, mu, k)).isLessThanOrEqualTo(1e-6);
                    assertThat(CountTail.lower(low + 1, mu, k)).isGreaterThan(1e-6);
                } else {
                    assertThat(CountTail.lower(0, mu, k)).isGreaterThan(1e-6);
                }
            }
        }
        // 5 a minute: 60 is far beyond the critical count; a silent minute is not improbable
        assertThat(CountTail.criticalHigh(5, 0, 1e-6)).isEqualTo(20);
        assertThat(CountTail.criticalLow(5, 0, 1e-6)).isEqualTo(-1);
        assertThat(CountTail.criticalLow(200, 0, 1e-6)).isBetween(120L, 160L);
    }

    @Test
    void hugeCountsNeverThrowAndStayMeaningful() {
        // the gamma series does not converge for a trillion expected requests (found by VolumeProfileFuzzTest)
        for (double mu : new double[] {2e6, 7.3e11, 1e15}) {
            for (double k : new double[] {0, 0.001, 4}) {
                long high = CountTail.criticalHigh(mu, k, 1e-6);
                assertThat(high).isGreaterThan((long) mu);
                assertThat(CountTail.upper(high, mu, k)).isLessThanOrEqualTo(1e-6);
                assertThat(CountTail.lower((long) (mu / 2), mu, k)).isBetween(0.0, 1.0);
            }
        }
        // at the switch to the normal approximation, the exact tail and the approximation agree within a few percent
        assertThat(CountTail.upper(1_005_000, 1e6, 0)).isCloseTo(0.5 * org.apache.commons.numbers.gamma.Erfc.value(
                4999.5 / 1000 / Math.sqrt(2)), withinPercentage(5));
    }

    @Test
    void nothingExpectedMeansAnyRequestIsAbove() {
        assertThat(CountTail.criticalHigh(0, 0, 1e-6)).isEqualTo(1);
        assertThat(CountTail.criticalHigh(Double.NaN, 0, 1e-6)).isEqualTo(1);
        assertThat(CountTail.criticalLow(0, 0, 1e-6)).isEqualTo(-1);
    }
}
