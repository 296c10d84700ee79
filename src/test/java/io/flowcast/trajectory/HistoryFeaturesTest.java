package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistoryFeaturesTest {

    private static final double DT = 0.4;

    @Test
    void backwardVelocityAtEachStepIgnoresEveryLaterPosition() {
        float[] walk = randomWalk(12, 3);
        float[] full = new float[2 * 11];
        BackwardDifferences.velocities(walk, 12, DT, full, 0);
        float[] fullAcc = new float[2 * 10];
        BackwardDifferences.accelerations(walk, 12, DT, fullAcc, 0);
        for (int t = 2; t < 12; t++) {
            // Only positions 0..t are known at time t: the values up to t must not change.
            float[] prefix = Arrays.copyOf(walk, 2 * (t + 1));
            float[] v = new float[2 * t];
            BackwardDifferences.velocities(prefix, t + 1, DT, v, 0);
            assertArrayEquals(Arrays.copyOf(full, 2 * t), v, "velocities up to step " + t);
            float[] a = new float[2 * (t - 1)];
            BackwardDifferences.accelerations(prefix, t + 1, DT, a, 0);
            assertArrayEquals(Arrays.copyOf(fullAcc, 2 * (t - 1)), a, "accelerations up to step " + t);
        }
    }

    @Test
    void movingOnePositionChangesOnlyTheDifferencesThatEndAtOrAfterIt() {
        float[] walk = randomWalk(8, 5);
        float[] moved = walk.clone();
        int t = 4;
        moved[2 * t] += 0.5f;
        float[] v0 = new float[14];
        float[] v1 = new float[14];
        BackwardDifferences.velocities(walk, 8, DT, v0, 0);
        BackwardDifferences.velocities(moved, 8, DT, v1, 0);
        for (int s = 1; s < 8; s++) {
            boolean touched = s == t || s == t + 1;
            if (touched) {
                assertNotEquals(v0[2 * (s - 1)], v1[2 * (s - 1)], "v_" + s);
            } else {
                assertEquals(v0[2 * (s - 1)], v1[2 * (s - 1)], "v_" + s);
            }
        }
    }

    @Test
    void windowFeaturesDoNotDependOnTheFuture() {
        float[] walk = randomWalk(20, 7);
        WindowSlicer slicer = WindowSlicer.standard();
        TrajectoryWindow window = slicer.slice(java.util.List.of(new Track("t", 1, 0, walk))).get(0);
        float[] otherFuture = window.future().clone();
        for (int i = 0; i < otherFuture.length; i++) {
            otherFuture[i] += 10 * (i + 1);
        }
        TrajectoryWindow altered = new TrajectoryWindow("t", 1, window.time(), window.observed(), otherFuture);
        ChainLayout layout = ChainLayout.standard();
        HistoryFeatures features = layout.newFeatures();
        float[] a = new float[layout.featureWidth()];
        float[] b = new float[layout.featureWidth()];
        double[] localA = new double[2 * 14];
        double[] localB = new double[2 * 14];
        ChainTrainingSet.localPath(window, new CanonicalFrame(), features, a, localA);
        ChainTrainingSet.localPath(altered, new CanonicalFrame(), features, b, localB);
        assertArrayEquals(a, b);
        // ... and the history part of the local path (u_{-1}, u_0) is identical too.
        assertArrayEquals(Arrays.copyOf(localA, 4), Arrays.copyOf(localB, 4));
    }

    @Test
    void straightLineHasConstantVelocityAlongTheHeadingAndNoAcceleration() {
        float[] line = new float[16];
        for (int t = 0; t < 8; t++) {
            line[2 * t] = 1 + 0.3f * t;
            line[2 * t + 1] = -2 + 0.4f * t; // 0.5 m per step, heading (0.6, 0.8)
        }
        HistoryFeatures features = new HistoryFeatures(8, DT);
        float[] out = new float[features.width()];
        features.extract(line, CanonicalFrame.of(line), out, 0);
        assertEquals(40, features.width());
        assertEquals(features.width(), features.names().size());
        for (int t = 0; t < 7; t++) {
            assertEquals(-0.5 * (7 - t), out[2 * t], 1e-5, "relative x");
            assertEquals(0, out[2 * t + 1], 1e-5, "relative y");
            assertEquals(0.5 / DT, out[14 + 2 * t], 1e-4, "speed along the heading");
            assertEquals(0, out[14 + 2 * t + 1], 1e-4);
        }
        for (int i = 28; i < 40; i++) {
            assertEquals(0, out[i], 1e-3, "acceleration");
        }
    }

    @Test
    void canonicalFrameRoundTrips() {
        float[] walk = randomWalk(8, 11);
        CanonicalFrame frame = CanonicalFrame.of(walk);
        double lx = frame.localX(3.5, -1.25);
        double ly = frame.localY(3.5, -1.25);
        assertEquals(3.5, frame.worldX(lx, ly), 1e-9);
        assertEquals(-1.25, frame.worldY(lx, ly), 1e-9);
        assertEquals(0, frame.localX(walk[14], walk[15]), 1e-6);
    }

    static float[] randomWalk(int steps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] xy = new float[2 * steps];
        double x = 0;
        double y = 0;
        for (int t = 0; t < steps; t++) {
            x += 0.4 + 0.1 * random.nextDouble();
            y += 0.2 * (random.nextDouble() - 0.5);
            xy[2 * t] = (float) x;
            xy[2 * t + 1] = (float) y;
        }
        return xy;
    }
}
