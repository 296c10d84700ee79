package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HeldOutCalibrationTest {

    private final HeldOutCalibration calibration = HeldOutCalibration.of(new double[] {3, 1, 2, 4, Double.NaN});

    @Test
    void tailProbabilityIsTheConformalPValue() {
        // Held-out scores {1, 2, 3, 4}: p = (1 + #{s_i >= s}) / 5.
        assertEquals(1.0, calibration.tailProbability(0.5));
        assertEquals(1.0, calibration.tailProbability(1));
        assertEquals(4 / 5.0, calibration.tailProbability(1.5));
        assertEquals(2 / 5.0, calibration.tailProbability(4));
        assertEquals(1 / 5.0, calibration.tailProbability(100));
        assertEquals(1.0, calibration.tailProbability(Double.NaN));
        assertEquals(1 / 5.0, calibration.resolution());
    }

    @Test
    void dropsNonFiniteScoresAndKeepsTheRest() {
        assertEquals(4, calibration.size());
        assertEquals(2.0, calibration.quantile(0.5));
        assertEquals(4.0, calibration.quantile(1));
        assertThrows(IllegalArgumentException.class, () -> HeldOutCalibration.of(new double[] {Double.NaN}));
    }

    @Test
    void falseAlarmRateIsBoundedByAlphaOnExchangeableScores() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        double[] held = new double[999];
        for (int i = 0; i < held.length; i++) {
            held[i] = random.nextGaussian();
        }
        HeldOutCalibration gaussian = HeldOutCalibration.of(held);
        int alarms = 0;
        int trials = 100_000;
        for (int i = 0; i < trials; i++) {
            if (gaussian.tailProbability(random.nextGaussian()) <= 0.01) {
                alarms++;
            }
        }
        assertEquals(0.01, alarms / (double) trials, 0.004);
    }
}
