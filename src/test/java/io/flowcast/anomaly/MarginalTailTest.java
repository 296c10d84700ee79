package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MarginalTailTest {

    /**
     * The conformal guarantee on exchangeable values: with a fresh reference sample per trial, P(tail <= alpha) is at
     * most alpha (within four binomial standard errors), for the plain two-sided rank p-value.
     */
    @Test
    void falseAlarmRateAtMostAlphaOnExchangeableValues() {
        SplittableRandom random = new SplittableRandom(11);
        int trials = 20_000;
        int kept = 99;
        for (double alpha : new double[] {0.02, 0.05, 0.1}) {
            int alarms = 0;
            for (int trial = 0; trial < trials; trial++) {
                MarginalTail tail = new MarginalTail(kept, 0.1);
                for (int i = 0; i < kept; i++) {
                    tail.add(random.nextGaussian());
                }
                if (tail.tail(random.nextGaussian()) <= alpha) {
                    alarms++;
                }
            }
            double rate = alarms / (double) trials;
            assertTrue(rate <= alpha + 4 * Math.sqrt(alpha * (1 - alpha) / trials),
                    "false-alarm rate " + rate + " above alpha " + alpha);
        }
    }

    @Test
    void valuesBeyondTheRangeKeepRankingByDistance() {
        MarginalTail tail = new MarginalTail(200, 0.1);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            tail.add(random.nextGaussian());
        }
        double far = tail.tail(8);
        double farther = tail.tail(12);
        double low = tail.tail(-12);
        assertTrue(farther < far && far < 2.0 / 201, far + " " + farther);
        assertTrue(low < 2.0 / 201, "both sides: " + low);
        assertEquals(1.0, tail.tail(0.0), 0.2, "the middle is ordinary");
    }

    @Test
    void oldValuesAreForgottenAndBadInputReportsNothing() {
        MarginalTail tail = new MarginalTail(50, 0.1);
        assertEquals(1.0, tail.tail(3.0), "nothing kept yet");
        for (int i = 0; i < 50; i++) {
            tail.add(100 + i % 5);
        }
        assertTrue(tail.tail(0) < 0.05);
        for (int i = 0; i < 50; i++) {
            tail.add(i % 5);
        }
        assertTrue(tail.tail(2) > 0.5, "the window now holds only the new level");
        tail.add(Double.NaN);
        tail.add(Double.POSITIVE_INFINITY);
        assertEquals(1.0, tail.tail(Double.NaN));
        assertEquals(0.02, MarginalTail.combine(0.01, 0.3), 1e-15);
        assertEquals(1.0, MarginalTail.combine(0.7, 0.9));
    }
}
