package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A speed-normalised chain (untrained, far-from-identity splines) served by the fused graphs: a history walked c
 * times faster has the same local features, so its forecast is the same paths scaled by c and every density in
 * metres is divided by c^2 per position (the frame's Jacobian), exactly.
 */
@Tag("slow")
class SpeedScaledForecastTest {

    private static final ChainLayout LAYOUT = ChainLayout.standard().withSpeedScale(new SpeedScale(0.4, 0.01));
    private static final double C = 2.5;
    private static FlowChainForecaster forecaster;

    @BeforeAll
    static void open() throws Exception {
        forecaster = new FlowChainForecaster(LAYOUT,
                OnnxChainSession.open(new ChainGraphs(RandomChains.of(LAYOUT, 5)).export("test", "1")), 6);
    }

    @AfterAll
    static void close() {
        forecaster.close();
    }

    private static float[] walk(double step, double bend, int n) {
        float[] xy = new float[2 * n];
        double x = 0.7;
        double y = -1.1;
        for (int t = 0; t < n; t++) {
            double angle = 0.4 + bend * t;
            x += step * Math.cos(angle);
            y += step * Math.sin(angle);
            xy[2 * t] = (float) x;
            xy[2 * t + 1] = (float) y;
        }
        return xy;
    }

    private static float[] times(float[] xy, double c) {
        float[] out = new float[xy.length];
        for (int i = 0; i < xy.length; i++) {
            out[i] = (float) (c * xy[i]);
        }
        return out;
    }

    @Test
    void fasterWalkerGetsTheScaledForecastAndTheJacobian() {
        float[] full = walk(0.35, 0.04, 20);
        float[] history = java.util.Arrays.copyOfRange(full, 0, 16);
        float[] future = java.util.Arrays.copyOfRange(full, 16, 40);
        ForecastBatch slow = forecaster.forecast(List.of(history), 3);
        ForecastBatch fast = forecaster.forecast(List.of(times(history, C)), 3);
        TrajectoryForecast a = slow.forecast(0);
        TrajectoryForecast b = fast.forecast(0);
        double jacobian = -2 * Math.log(C);
        for (int i = 0; i < a.paths().length; i++) {
            assertEquals(C * a.paths()[i], b.paths()[i], 1e-3 * (1 + Math.abs(b.paths()[i])));
        }
        for (int i = 0; i < a.stepLogDensity().length; i++) {
            assertEquals(a.stepLogDensity()[i] + jacobian, b.stepLogDensity()[i], 1e-3);
        }

        float[] marginalSlow = forecaster.marginalLogDensities(slow, future);
        float[] marginalFast = forecaster.marginalLogDensities(fast, times(future, C));
        for (int h = 0; h < 12; h++) {
            assertEquals(marginalSlow[h] + jacobian, marginalFast[h], 1e-3, "marginal at horizon " + (h + 1));
        }
        float[] pathSlow = forecaster.stepLogDensities(List.of(history), List.of(future));
        float[] pathFast = forecaster.stepLogDensities(List.of(times(history, C)), List.of(times(future, C)));
        for (int h = 0; h < 12; h++) {
            assertEquals(pathSlow[h] + jacobian, pathFast[h], 1e-3, "path step " + (h + 1));
        }
    }

    @Test
    void densityGridCellsEqualPointQueriesInMetres() {
        float[] history = walk(0.9, 0.02, 8);
        ForecastBatch batch = forecaster.forecast(List.of(history), 7);
        DensityGrid grid = forecaster.densityGrids(batch, 4)[0];
        for (int h = 1; h <= 12; h += 5) {
            for (int ix = 0; ix < 4; ix += 3) {
                float[] point = {(float) grid.x(h, ix), (float) grid.y(h, 2)};
                float[] query = forecaster.marginalLogDensity(batch, 0, h, point, 1);
                assertEquals(query[0], grid.logDensity(h, ix, 2), 1e-3, "horizon " + h);
            }
        }
    }
}
