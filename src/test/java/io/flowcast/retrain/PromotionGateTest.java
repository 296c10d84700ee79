package io.flowcast.retrain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.flow.GaussianDensity;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PromotionGateTest {

    private static final PromotionGate GATE = PromotionGate.defaults();

    private static Evaluation eval(double nll, double calibrationError) {
        return new Evaluation(nll, calibrationError, 100, true);
    }

    @Test
    void comparesWithTheLiveModelWithinTolerances() {
        Optional<Evaluation> live = Optional.of(eval(1.50, 0.02));
        assertTrue(GATE.decide(eval(1.40, 0.02), live, 1e-5).promote(), "better");
        assertTrue(GATE.decide(eval(1.51, 0.03), live, 1e-5).promote(), "within tolerance");
        assertFalse(GATE.decide(eval(1.60, 0.02), live, 1e-5).promote(), "worse NLL");
        assertFalse(GATE.decide(eval(1.40, 0.09), live, 1e-5).promote(), "worse calibration");
        assertFalse(GATE.decide(eval(1.40, 0.02), live, 5e-2).promote(), "ONNX disagrees with DJL");
        assertFalse(GATE.decide(eval(1.40, 0.02), live, Double.NaN).promote(), "parity unknown");
        assertFalse(GATE.decide(new Evaluation(Double.POSITIVE_INFINITY, 0, 100, false), live, 0).promote(), "NaN");
        assertTrue(GATE.decide(eval(3.0, 0.05), Optional.empty(), 1e-5).promote(), "first model");
        assertFalse(GATE.decide(eval(3.0, 0.3), Optional.empty(), 1e-5).promote(), "badly calibrated first model");
    }

    @Test
    void theEvaluatorMeasuresNllAndCalibration() {
        SplittableRandom random = new SplittableRandom(1);
        int n = 4000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        GaussianDensity right = GaussianDensity.fit(x, new float[0], n, 1, 0, 0);
        double[] raw = new double[2000];
        float[] lp = right.logProb(java.util.Arrays.copyOf(x, 2000), new float[0], 2000);
        for (int i = 0; i < 2000; i++) {
            raw[i] = -lp[i];
        }
        float[] held = java.util.Arrays.copyOfRange(x, 2000, n);
        Evaluation good = ModelEvaluator.evaluate(right, HeldOutCalibration.of(raw), held, new float[0], 2000);
        assertTrue(Math.abs(good.meanNll() - 0.5 * Math.log(2 * Math.PI * Math.E)) < 0.05, good.toString());
        assertTrue(good.calibrationError() < 0.03, good.toString());
        // A calibration from another distribution's scores is off.
        double[] shifted = raw.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 0.7;
        }
        Evaluation off = ModelEvaluator.evaluate(right, HeldOutCalibration.of(shifted), held, new float[0], 2000);
        assertTrue(off.calibrationError() > 0.1, off.toString());
    }
}
