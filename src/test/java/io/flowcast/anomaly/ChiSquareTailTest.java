package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Chi-square tails against closed forms and tabulated critical values. */
class ChiSquareTailTest {

    @Test
    void matchesClosedForms() {
        for (double x : new double[] {1e-6, 0.1, 1, 2.5, 7, 30, 200}) {
            // d = 2: exp(-x/2); d = 4: exp(-x/2) (1 + x/2).
            assertEquals(Math.exp(-x / 2), ChiSquareTail.survival(x, 2), 1e-13 + 1e-12 * Math.exp(-x / 2));
            double four = Math.exp(-x / 2) * (1 + x / 2);
            assertEquals(four, ChiSquareTail.survival(x, 4), 1e-13 + 1e-12 * four);
        }
    }

    @Test
    void matchesTabulatedCriticalValues() {
        assertEquals(0.05, ChiSquareTail.survival(3.841458820694124, 1), 1e-12);
        assertEquals(0.01, ChiSquareTail.survival(6.634896601021214, 1), 1e-12);
        assertEquals(0.05, ChiSquareTail.survival(11.070497693516351, 5), 1e-12);
        assertEquals(0.001, ChiSquareTail.survival(29.58829844507442, 10), 1e-12);
        assertEquals(0.5, ChiSquareTail.survival(0.454936423119572, 1), 1e-12);
    }

    @Test
    void edges() {
        assertEquals(1.0, ChiSquareTail.survival(0, 3));
        assertEquals(1.0, ChiSquareTail.survival(Double.NaN, 3));
        assertEquals(0.0, ChiSquareTail.survival(Double.POSITIVE_INFINITY, 3));
        assertEquals(0.0, ChiSquareTail.survival(1e5, 2), 1e-300);
        assertThrows(IllegalArgumentException.class, () -> ChiSquareTail.survival(1, 0));
    }
}
