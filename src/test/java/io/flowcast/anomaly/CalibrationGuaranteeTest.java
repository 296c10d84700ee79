package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * The conformal guarantee, checked statistically with fixed seeds: on exchangeable data (calibration and test drawn
 * from one distribution, fresh calibration sample every trial), P(tail <= alpha) <= alpha. The tolerance is four
 * binomial standard errors above the exact bound floor(alpha (n + 1)) / (n + 1), so a calibration that alarmed even
 * slightly more often than alpha fails.
 */
class CalibrationGuaranteeTest {

    private static final int TRIALS = 20_000;
    private static final int HELD_OUT = 99;

    /** Fraction of trials whose fresh test score gets tail <= alpha from a fresh calibration. */
    private static double falseAlarmRate(DoubleSupplier draw, double alpha, boolean viaSketch) {
        int alarms = 0;
        double[] held = new double[HELD_OUT];
        for (int trial = 0; trial < TRIALS; trial++) {
            for (int i = 0; i < HELD_OUT; i++) {
                held[i] = draw.getAsDouble();
            }
            HeldOutCalibration calibration = HeldOutCalibration.of(held);
            double test = draw.getAsDouble();
            double tail = viaSketch ? calibration.sketch(8, 10).tailProbability(test)
                    : calibration.tailProbability(test);
            if (tail <= alpha) {
                alarms++;
            }
        }
        return alarms / (double) TRIALS;
    }

    private static void assertAtMostAlpha(double rate, double alpha, String what) {
        double exactBound = Math.floor(alpha * (HELD_OUT + 1)) / (HELD_OUT + 1);
        double tolerance = 4 * Math.sqrt(alpha * (1 - alpha) / TRIALS);
        assertTrue(rate <= exactBound + tolerance,
                what + ": false-alarm rate " + rate + " above alpha " + alpha + " (bound " + exactBound + ")");
    }

    @Test
    void falseAlarmRateAtMostAlphaForContinuousScores() {
        SplittableRandom random = new SplittableRandom(7);
        for (double alpha : new double[] {0.01, 0.05, 0.1, 0.037}) {
            double rate = falseAlarmRate(random::nextGaussian, alpha, false);
            assertAtMostAlpha(rate, alpha, "gaussian");
            // Exact for continuous scores: the rate is floor(alpha (n+1)) / (n+1), not merely below alpha.
            double exact = Math.floor(alpha * (HELD_OUT + 1)) / (HELD_OUT + 1);
            assertEquals(exact, rate, 4 * Math.sqrt(exact * (1 - exact) / TRIALS) + 1e-9, "alpha " + alpha);
        }
    }

    @Test
    void falseAlarmRateAtMostAlphaForHeavyTailsAndTies() {
        SplittableRandom random = new SplittableRandom(11);
        DoubleSupplier cauchy = () -> Math.tan(Math.PI * (random.nextDouble() - 0.5));
        DoubleSupplier discrete = () -> random.nextInt(5); // many ties: ">=" keeps the bound
        for (double alpha : new double[] {0.01, 0.05, 0.2}) {
            assertAtMostAlpha(falseAlarmRate(cauchy, alpha, false), alpha, "cauchy");
            assertAtMostAlpha(falseAlarmRate(discrete, alpha, false), alpha, "discrete");
        }
    }

    @Test
    void sketchKeepsTheGuarantee() {
        SplittableRandom random = new SplittableRandom(13);
        for (double alpha : new double[] {0.01, 0.05, 0.3}) {
            assertAtMostAlpha(falseAlarmRate(random::nextGaussian, alpha, true), alpha, "sketch");
        }
    }

    @Test
    void sketchIsNeverBelowTheFullSampleAndExactAtTheTop() {
        SplittableRandom random = new SplittableRandom(3);
        double[] held = new double[5000];
        for (int i = 0; i < held.length; i++) {
            held[i] = random.nextGaussian();
        }
        HeldOutCalibration full = HeldOutCalibration.of(held);
        CalibrationSketch sketch = full.sketch(100, 200);
        assertTrue(sketch.ranks().length <= 301, "kept " + sketch.ranks().length);
        double maxGap = 0;
        for (int i = 0; i < 20_000; i++) {
            double s = random.nextGaussian() * 1.5;
            double exact = full.tailProbability(s);
            double compact = sketch.tailProbability(s);
            assertTrue(compact >= exact, "sketch tail " + compact + " below exact " + exact + " at " + s);
            maxGap = Math.max(maxGap, compact - exact);
            if (exact < 100.0 / 5001) {
                assertEquals(exact, compact, 1e-12, "top 100 ranks are exact");
            }
        }
        assertTrue(maxGap <= 25.0 / 5001 + 1e-12, "spacing of 4900/200 ranks bounds the gap: " + maxGap);
        assertEquals(1 - sketch.tailProbability(1.0), sketch.grade(1.0));
        assertEquals(full.resolution(), sketch.resolution(), 1e-15);
    }

    @Test
    void smallSampleSketchIsTheFullCalibration() {
        HeldOutCalibration full = HeldOutCalibration.of(new double[] {3, 1, 2, 4, 2});
        CalibrationSketch sketch = full.sketch(2, 10);
        assertEquals(5, sketch.ranks().length);
        for (double s : new double[] {0, 1, 1.5, 2, 2.5, 3, 4, 5, Double.NaN}) {
            assertEquals(full.tailProbability(s), sketch.tailProbability(s), 1e-15, "at " + s);
        }
        assertEquals(1 - 1.0 / 6, full.grade(1e9), 1e-15);
    }

    @Test
    void roundTripsThroughBytesAndJson() throws Exception {
        CalibrationSketch sketch = HeldOutCalibration.of(new double[] {0.5, -1, 7, 3, 3, 2.25}).sketch(2, 2);
        assertEquals(sketch, CalibrationSketch.fromBytes(sketch.toBytes()));
        ObjectMapper json = new ObjectMapper();
        CalibrationSketch back = json.readValue(json.writeValueAsString(sketch), CalibrationSketch.class);
        assertEquals(sketch, back);
        assertEquals(sketch.tailProbability(2.5), back.tailProbability(2.5));
    }

    @Test
    void refusesMalformedSketches() {
        byte[] bytes = HeldOutCalibration.of(new double[] {1, 2, 3}).sketch(1, 1).toBytes();
        assertThrows(IllegalArgumentException.class, () -> CalibrationSketch.fromBytes(Arrays.copyOf(bytes, 10)));
        assertThrows(IllegalArgumentException.class, () -> CalibrationSketch.fromBytes(new byte[] {1, 2, 3, 4}));
        assertThrows(IllegalArgumentException.class, () -> new CalibrationSketch(3, new long[] {1, 2}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new CalibrationSketch(2, new long[] {1, 2}, new double[] {2, 1}));
        assertThrows(IllegalArgumentException.class, () -> new CalibrationSketch(2, new long[] {2, 2}, new double[] {1, 1}));
    }
}
