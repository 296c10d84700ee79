package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.serving.SessionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Trains a small chain on generated walks (4 observed steps, 3 future) and checks its densities. */
@Tag("slow")
class FlowChainDensityTest {

    private static final ChainLayout LAYOUT = new ChainLayout(4, 3, 0.4);
    private static FlowChain chain;
    private static List<TrajectoryWindow> windows;

    @BeforeAll
    static void train() {
        windows = walks(3000, 11);
        TrainerConfig trainer = TrainerConfig.builder().batchSize(256).maxEpochs(6).learningRate(5e-3)
                .warmupSteps(10).patience(3).maxSeconds(3).seed(3).build();
        chain = new FlowChainTrainer(LAYOUT, FlowChainTrainer.defaultFlow().couplings(2).hiddenWidth(16), trainer,
                3000, line -> { }).train(windows);
    }

    @AfterAll
    static void release() {
        chain = null;
    }

    @Test
    void densityAtEveryHorizonIntegratesToOneOnAGrid() {
        List<float[]> histories = List.of(windows.get(0).observed(), windows.get(1).observed());
        try (FlowChainForecaster exact = new FlowChainForecaster(LAYOUT, DjlStepDensity.steps(chain),
                DjlStepDensity.marginals(chain), 20);
                FlowChainForecaster mixture = new FlowChainForecaster(LAYOUT, DjlStepDensity.steps(chain), List.of(),
                        20)) {
            for (FlowChainForecaster forecaster : List.of(exact, mixture)) {
                ForecastBatch batch = forecaster.forecast(histories, 5);
                for (int h = 1; h <= 3; h++) {
                    float[] cv = ConstantVelocity.predict(histories.get(0), h);
                    int cells = 160;
                    double half = 0.3 + 0.4 * h;
                    float[] grid = forecaster.densityGrid(batch, 0, h, cv[2 * h - 2], cv[2 * h - 1], half, cells);
                    double cell = 2 * half / cells;
                    double mass = 0;
                    for (float logDensity : grid) {
                        mass += Math.exp(logDensity) * cell * cell;
                    }
                    assertEquals(1, mass, 0.03, "probability mass at horizon " + h);
                }
            }
        }
    }

    @Test
    void sampledPathsCarryTheirExactJointDensity() {
        List<float[]> histories = List.of(windows.get(2).observed(), windows.get(3).observed(),
                windows.get(4).observed());
        try (FlowChainForecaster forecaster = new FlowChainForecaster(LAYOUT, DjlStepDensity.steps(chain), List.of(),
                8)) {
            ForecastBatch batch = forecaster.forecast(histories, 9);
            for (int a = 0; a < histories.size(); a++) {
                TrajectoryForecast forecast = batch.forecast(a);
                List<float[]> repeated = new ArrayList<>();
                List<float[]> futures = new ArrayList<>();
                for (int i = 0; i < forecast.samples(); i++) {
                    repeated.add(histories.get(a));
                    futures.add(java.util.Arrays.copyOfRange(forecast.paths(), 6 * i, 6 * (i + 1)));
                }
                // Scoring the samples as given futures (teacher forcing) must give the densities they were drawn with.
                float[] scored = forecaster.stepLogDensities(repeated, futures);
                for (int i = 0; i < forecast.samples(); i++) {
                    double sum = 0;
                    for (int h = 0; h < 3; h++) {
                        sum += scored[i * 3 + h];
                    }
                    assertEquals(forecast.jointLogDensity()[i], sum, 2e-2);
                }
                assertTrue(forecast.mostLikelyLogDensity() >= max(forecast.jointLogDensity()) - 1e-3);
            }
        }
    }

    @Test
    void onnxRuntimeServesTheSameChainAsDjl() throws Exception {
        FlowChain.Artifacts artifacts = chain.export("test-chain", "1");
        SessionSettings settings = new SessionSettings(1, SessionSettings.DEFAULT_MAX_BATCH_ROWS);
        List<float[]> histories = List.of(windows.get(5).observed(), windows.get(6).observed());
        try (FlowChainForecaster djl = new FlowChainForecaster(LAYOUT, DjlStepDensity.steps(chain),
                DjlStepDensity.marginals(chain), 10);
                FlowChainForecaster onnx = new FlowChainForecaster(LAYOUT,
                        OnnxStepDensity.openAll(artifacts.steps(), settings),
                        OnnxStepDensity.openAll(artifacts.marginals(), settings), 10)) {
            ForecastBatch a = djl.forecast(histories, 21);
            ForecastBatch b = onnx.forecast(histories, 21);
            for (int agent = 0; agent < 2; agent++) {
                TrajectoryForecast fa = a.forecast(agent);
                TrajectoryForecast fb = b.forecast(agent);
                for (int i = 0; i < fa.paths().length; i++) {
                    assertEquals(fa.paths()[i], fb.paths()[i], 1e-3);
                }
                for (int i = 0; i < fa.jointLogDensity().length; i++) {
                    assertEquals(fa.jointLogDensity()[i], fb.jointLogDensity()[i], 1e-2);
                }
            }
            float[] query = {histories.get(0)[6] + 1f, histories.get(0)[7], histories.get(1)[6], histories.get(1)[7]};
            float[] da = djl.marginalLogDensity(a, 2, query);
            float[] db = onnx.marginalLogDensity(b, 2, query);
            assertEquals(da[0], db[0], 1e-3);
            assertEquals(da[1], db[1], 1e-3);
        }
    }

    /**
     * The fused graph (one ONNX Runtime call for the whole chain) must give what the per-step ONNX sessions give:
     * the same sampled paths and step log-densities from the same codes, the same teacher-forced path densities and
     * the same marginal densities, within 1e-4 relative.
     */
    @Test
    void fusedChainGraphMatchesThePerStepPath() throws Exception {
        FlowChain.Artifacts artifacts = chain.export("test-chain", "1");
        SessionSettings settings = new SessionSettings(1, SessionSettings.DEFAULT_MAX_BATCH_ROWS);
        List<float[]> histories = new ArrayList<>();
        List<float[]> futures = new ArrayList<>();
        for (int w = 7; w < 12; w++) {
            histories.add(windows.get(w).observed());
            futures.add(windows.get(w).future());
        }
        try (FlowChainForecaster stepwise = new FlowChainForecaster(LAYOUT,
                OnnxStepDensity.openAll(artifacts.steps(), settings),
                OnnxStepDensity.openAll(artifacts.marginals(), settings), 16);
                FlowChainForecaster fused = new FlowChainForecaster(LAYOUT,
                        OnnxChainSession.open(new ChainGraphs(chain).export("test-chain", "1")), 16)) {
            ForecastBatch a = stepwise.forecast(histories, 33);
            ForecastBatch b = fused.forecast(histories, 33);
            for (int agent = 0; agent < histories.size(); agent++) {
                TrajectoryForecast fa = a.forecast(agent);
                TrajectoryForecast fb = b.forecast(agent);
                assertClose(fa.paths(), fb.paths(), "paths");
                assertClose(fa.stepLogDensity(), fb.stepLogDensity(), "step log-densities");
                assertClose(fa.mostLikely(), fb.mostLikely(), "most likely path");
            }
            assertClose(stepwise.stepLogDensities(histories, futures), fused.stepLogDensities(histories, futures),
                    "teacher-forced step log-densities");
            float[] truth = new float[histories.size() * 6];
            for (int agent = 0; agent < histories.size(); agent++) {
                System.arraycopy(futures.get(agent), 0, truth, agent * 6, 6);
            }
            float[] all = fused.marginalLogDensities(b, truth);
            assertClose(stepwise.marginalLogDensities(a, truth), all, "marginal log-densities");
            for (int h = 1; h <= 3; h++) {
                float[] at = new float[2 * histories.size()];
                for (int agent = 0; agent < histories.size(); agent++) {
                    at[2 * agent] = futures.get(agent)[2 * h - 2];
                    at[2 * agent + 1] = futures.get(agent)[2 * h - 1];
                }
                float[] one = fused.marginalLogDensity(b, h, at);
                for (int agent = 0; agent < histories.size(); agent++) {
                    assertEquals(all[agent * 3 + h - 1], one[agent], 1e-4 * Math.max(1, Math.abs(one[agent])));
                }
            }
        }
    }

    /** Every agent's grids, all horizons from one fused call, hold the forecast's probability mass. */
    @Test
    void densityGridsPerHorizonHoldTheMass() throws Exception {
        List<float[]> histories = List.of(windows.get(12).observed(), windows.get(13).observed());
        try (FlowChainForecaster fused = new FlowChainForecaster(LAYOUT,
                OnnxChainSession.open(new ChainGraphs(chain).export("test-chain", "1")), 20)) {
            ForecastBatch batch = fused.forecast(histories, 3);
            DensityGrid[] grids = fused.densityGrids(batch, 96);
            assertEquals(2, grids.length);
            for (DensityGrid grid : grids) {
                for (int h = 1; h <= 3; h++) {
                    double cell = grid.cellSize(h);
                    double mass = 0;
                    for (int iy = 0; iy < grid.cells(); iy++) {
                        for (int ix = 0; ix < grid.cells(); ix++) {
                            mass += Math.exp(grid.logDensity(h, ix, iy)) * cell * cell;
                        }
                    }
                    // The window spans three RMS radii of the samples: most, not all, of the mass.
                    assertTrue(mass > 0.9 && mass < 1.02, "mass at horizon " + h + ": " + mass);
                }
            }
            // The grid's cell values are the marginal density at the cell centres.
            DensityGrid grid = grids[1];
            float[] point = {(float) grid.x(2, 40), (float) grid.y(2, 17)};
            float[] direct = fused.marginalLogDensity(batch, 1, 2, point, 1);
            assertEquals(direct[0], grid.logDensity(2, 40, 17), 1e-4 * Math.max(1, Math.abs(direct[0])));
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-4 * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "]");
        }
    }

    private static double max(float[] values) {
        double best = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            best = Math.max(best, v);
        }
        return best;
    }

    /** Walks with a random heading and speed that turn slowly, 7 steps each, seen through the 4 + 3 window. */
    static List<TrajectoryWindow> walks(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Track> tracks = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            double heading = 2 * Math.PI * random.nextDouble();
            double speed = 0.3 + 0.3 * random.nextDouble();
            double turn = 0.15 * (random.nextDouble() - 0.5);
            double x = 10 * random.nextDouble();
            double y = 10 * random.nextDouble();
            float[] xy = new float[14];
            for (int t = 0; t < 7; t++) {
                xy[2 * t] = (float) x;
                xy[2 * t + 1] = (float) y;
                heading += turn + 0.2 * (random.nextDouble() - 0.5);
                double step = speed + 0.1 * (random.nextDouble() - 0.5);
                x += step * Math.cos(heading);
                y += step * Math.sin(heading);
            }
            tracks.add(new Track("walks", w, 0, xy));
        }
        return new WindowSlicer(4, 3, 1).slice(tracks);
    }
}
