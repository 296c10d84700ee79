package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BaselinesAndMetricsTest {

    @Test
    void constantVelocityIsExactOnStraightLines() {
        float[] path = new float[40];
        for (int t = 0; t < 20; t++) {
            path[2 * t] = 2 - 0.35f * t;
            path[2 * t + 1] = 5 + 0.12f * t;
        }
        TrajectoryWindow window = WindowSlicer.standard().slice(List.of(new Track("line", 1, 0, path))).get(0);
        float[] predicted = ConstantVelocity.predict(window.observed(), 12);
        assertEquals(0, DisplacementErrors.ade(predicted, window.future()), 1e-5);
        assertEquals(0, DisplacementErrors.fde(predicted, window.future()), 1e-5);
        float[] noiseless = ConstantVelocity.sampleWithAngleNoise(window.observed(), 12, 3, 0, 1);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(predicted, java.util.Arrays.copyOfRange(noiseless, 24 * i, 24 * (i + 1)), 1e-6f);
        }
    }

    @Test
    void angleNoiseKeepsTheSpeedAndTurnsTheHeading() {
        float[] observed = {0, 0, 1, 0};
        float[] samples = ConstantVelocity.sampleWithAngleNoise(observed, 2, 50, Math.toRadians(25), 3);
        boolean turned = false;
        for (int i = 0; i < 50; i++) {
            double dx = samples[4 * i] - 1;
            double dy = samples[4 * i + 1];
            assertEquals(1, Math.hypot(dx, dy), 1e-5);
            turned |= Math.abs(dy) > 0.05;
        }
        assertTrue(turned);
    }

    @Test
    void adeFdeAndBestOfNOnHandMadePaths() {
        float[] truth = {1, 0, 2, 0, 3, 0};
        float[] offByOne = {1, 1, 2, 1, 3, 1};
        assertEquals(1, DisplacementErrors.ade(offByOne, truth), 1e-9);
        float[] growing = {1, 0, 2, 3, 3, 4}; // errors 0, 3, 4
        assertEquals(7.0 / 3, DisplacementErrors.ade(growing, truth), 1e-6);
        assertEquals(4, DisplacementErrors.fde(growing, truth), 1e-6);
        // Sample A: small ADE (0.5 each) but FDE 0.5; sample B: ADE 1, FDE 0.
        float[] a = {1, 0.5f, 2, 0.5f, 3, 0.5f};
        float[] b = {1, 1.5f, 2, 1.5f, 3, 0};
        float[] both = new float[12];
        System.arraycopy(b, 0, both, 0, 6);
        System.arraycopy(a, 0, both, 6, 6);
        DisplacementErrors.BestOfN best = DisplacementErrors.bestOf(both, 2, truth);
        assertEquals(0.5, best.minAde(), 1e-6);
        assertEquals(0, best.minFde(), 1e-6);
        assertEquals(0.5, best.jointAde(), 1e-6);
        assertEquals(0.5, best.jointFde(), 1e-6, "the joint variant takes the FDE of the best-ADE sample");
    }

    @Test
    void gaussianBaselineRecoversTheResidualSpreadAlongAndAcrossTheHeading() {
        SplittableRandom random = new SplittableRandom(5);
        List<TrajectoryWindow> windows = new ArrayList<>();
        double along = 0.3;
        double across = 0.1;
        for (int w = 0; w < 4000; w++) {
            double heading = random.nextDouble() * 2 * Math.PI;
            double c = Math.cos(heading);
            double s = Math.sin(heading);
            float[] observed = new float[16];
            for (int t = 0; t < 8; t++) {
                observed[2 * t] = (float) (0.5 * t * c);
                observed[2 * t + 1] = (float) (0.5 * t * s);
            }
            float[] future = new float[24];
            for (int h = 1; h <= 12; h++) {
                double ea = along * gaussian(random);
                double ec = across * gaussian(random);
                double lx = 0.5 * h + ea;
                future[2 * h - 2] = (float) (observed[14] + c * lx - s * ec);
                future[2 * h - 1] = (float) (observed[15] + s * lx + c * ec);
            }
            windows.add(new TrajectoryWindow("synthetic", w, 7, observed, future));
        }
        ConstantVelocityGaussian model = ConstantVelocityGaussian.fit(windows);
        // The density at the constant-velocity point equals the analytic peak of N(0, diag(along^2, across^2)).
        float[] observed = windows.get(0).observed();
        float[] cv = ConstantVelocity.predict(observed, 12);
        double peak = model.logDensity(observed, 3, cv[4], cv[5]);
        double expected = -Math.log(2 * Math.PI * along * across);
        assertEquals(expected, peak, 0.1);
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
