package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.ModelRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The speed-relative local unit, the frame's Jacobian, the layout's metadata, and the code sampler. */
class SpeedScaleTest {

    /** 8 steps along a bent line, step length 0.3 m. */
    private static float[] walk(double step) {
        float[] xy = new float[16];
        for (int t = 0; t < 8; t++) {
            double angle = 0.3 + 0.05 * t;
            xy[2 * t] = (float) (t == 0 ? 1 : xy[2 * t - 2] + step * Math.cos(angle));
            xy[2 * t + 1] = (float) (t == 0 ? -2 : xy[2 * t - 1] + step * Math.sin(angle));
        }
        return xy;
    }

    @Test
    void scaleIsTheMeanStepOverTheReferenceWithAFloor() {
        float[] xy = walk(0.3);
        assertEquals(1, SpeedScale.NONE.scaleOf(xy, 0, 8));
        assertEquals(2.0, new SpeedScale(0.15, 0.1).scaleOf(xy, 0, 8), 1e-5);
        assertEquals(1.0, new SpeedScale(0.6, 1).scaleOf(xy, 0, 8), 1e-9, "shrink-only: slower than the reference");
        assertEquals(0.5, new SpeedScale(0.6, 0.25).scaleOf(xy, 0, 8), 1e-5);
        float[] standing = new float[16];
        assertEquals(0.25, new SpeedScale(0.6, 0.25).scaleOf(standing, 0, 8), 1e-9);
        float[] broken = walk(0.3);
        broken[5] = Float.NaN;
        assertEquals(0.25, new SpeedScale(0.6, 0.25).scaleOf(broken, 0, 8), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new SpeedScale(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SpeedScale(0.3, 0));
    }

    @Test
    void medianStepOfTrainingWindows() {
        List<TrajectoryWindow> windows = List.of(new TrajectoryWindow("a", 1, 0, walk(0.2), new float[24]),
                new TrajectoryWindow("a", 2, 0, walk(0.4), new float[24]),
                new TrajectoryWindow("a", 3, 0, walk(0.9), new float[24]));
        assertEquals(0.4, SpeedScale.medianStep(windows), 1e-5);
        assertEquals(0, SpeedScale.medianStep(List.of()));
    }

    @Test
    void scaledFrameRoundTripsAndCarriesItsJacobian() {
        float[] xy = walk(0.3);
        CanonicalFrame frame = CanonicalFrame.of(xy, new SpeedScale(0.1, 0.1));
        assertEquals(3.0, frame.scale(), 1e-5);
        assertEquals(-2 * Math.log(3.0), frame.logDensityOffset(), 1e-6);
        double lx = frame.localX(4.5, 1.25);
        double ly = frame.localY(4.5, 1.25);
        assertEquals(4.5, frame.worldX(lx, ly), 1e-9);
        assertEquals(1.25, frame.worldY(lx, ly), 1e-9);
        // the last observed step is one local step of length 0.3 / 3 along x
        assertEquals(-0.1, frame.localX(xy[12], xy[13]), 1e-5);
        assertEquals(0, frame.localY(xy[12], xy[13]), 1e-5);
        assertEquals(0, CanonicalFrame.of(xy).logDensityOffset(), 0.0);
    }

    @Test
    void layoutTravelsWithTheModel() {
        ChainLayout layout = ChainLayout.standard().withSpeedScale(new SpeedScale(0.31, 0.5));
        ChainLayout back = ChainGraphs.layoutOf(new ChainGraphs(RandomChains.of(layout, 3)).export("m", "1"));
        assertEquals(layout.speedScale(), back.speedScale());
        assertEquals(layout.observedSteps(), back.observedSteps());
        assertEquals(layout.futureSteps(), back.futureSteps());
        assertEquals(layout.dt(), back.dt(), 1e-9);
        // a model written before the keys existed is a standard, unscaled layout
        assertFalse(ChainLayout.fromMetadata(Map.of()).speedScale().enabled());
        assertThrows(IllegalArgumentException.class,
                () -> ChainLayout.fromMetadata(Map.of("flowcast.chain.speed_min_scale", "x")));
    }

    @Test
    void exportedChainFilesKeepTheSpeedScale(@TempDir Path dir) throws IOException {
        ChainLayout layout = ChainLayout.standard().withSpeedScale(new SpeedScale(0.23, 1));
        ChainModelFiles.write(dir, RandomChains.of(layout, 5), new ModelRef("pedestrians.chain", 2), 0.4);
        assertEquals(layout.speedScale(), ChainModelFiles.read(dir).layout().speedScale());
        ChainModelFiles.write(dir, RandomChains.of(ChainLayout.standard(), 5), new ModelRef("pedestrians.chain", 3),
                0.4);
        assertFalse(ChainModelFiles.read(dir).layout().speedScale().enabled());
    }

    @Test
    void antitheticCodesComeInMirroredPairsAndTemperatureScales() {
        int agents = 2;
        int perAgent = 5; // 4 samples + the mode row
        float[] z = new float[2 * agents * perAgent];
        for (int i = 0; i < z.length; i++) {
            z[i] = i + 1;
        }
        float[] original = z.clone();
        new CodeSampler(true, 0.5).apply(z, agents, perAgent, 4);
        for (int a = 0; a < agents; a++) {
            int first = a * perAgent;
            for (int i = 0; i < 2; i++) {
                for (int d = 0; d < 2; d++) {
                    assertEquals(0.5f * original[2 * (first + i) + d], z[2 * (first + i) + d]);
                    assertEquals(-0.5f * original[2 * (first + i) + d], z[2 * (first + 2 + i) + d]);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new CodeSampler(false, 0));
    }

    @Test
    void mirroredWindowNegatesY() {
        TrajectoryWindow w = new TrajectoryWindow("a", 1, 4, new float[] {1, 2, 3, 4}, new float[] {5, 6});
        TrajectoryWindow m = w.mirrored();
        assertEquals(List.of(1f, -2f, 3f, -4f), List.of(m.observed()[0], m.observed()[1], m.observed()[2],
                m.observed()[3]));
        assertEquals(-6f, m.future()[1]);
        assertTrue(w.observed()[1] > 0, "the original is untouched");
    }
}
