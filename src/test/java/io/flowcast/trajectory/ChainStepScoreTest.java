package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The exact score of an observed position through one step's cut of the path graph ({@link StepScoreGraphs}) against
 * the whole path graph: the same values (to 1e-6), for any mix of steps in one call, from a fraction of the nodes.
 */
@Tag("slow")
class ChainStepScoreTest {

    private static final ChainLayout LAYOUT = ChainLayout.standard();
    private static ChainGraphs.Models models;
    private static OnnxChainSession session;

    @BeforeAll
    static void open() throws Exception {
        models = new ChainGraphs(RandomChains.of(LAYOUT, 23)).export("test", "1");
        session = OnnxChainSession.open(models);
    }

    @AfterAll
    static void close() {
        session.close();
    }

    @Test
    void eachStepGraphHoldsOnlyItsStepsNodes() throws Exception {
        int horizons = LAYOUT.futureSteps();
        List<byte[]> steps = StepScoreGraphs.cut(models.path(), horizons).orElseThrow();
        assertEquals(horizons, steps.size());
        int whole = OnnxMl.ModelProto.parseFrom(models.path()).getGraph().getNodeCount();
        for (byte[] step : steps) {
            int nodes = OnnxMl.ModelProto.parseFrom(step).getGraph().getNodeCount();
            assertTrue(nodes * (horizons - 1) < whole, nodes + " nodes of " + whole);
        }
    }

    @Test
    void graphsOfAnotherFormAreNotCut() {
        assertTrue(StepScoreGraphs.cut(new byte[] {1, 2, 3}, 12).isEmpty());
        // Two outputs (positions and step log-densities): not a path graph.
        assertTrue(StepScoreGraphs.cut(models.forecast(), 12).isEmpty());
        assertTrue(StepScoreGraphs.cut(models.path(), 11).isEmpty());
    }

    @Test
    void oneStepPerAgentEqualsThatStepOfTheWholePath() {
        int agents = 9;
        int horizons = LAYOUT.futureSteps();
        List<float[]> histories = RandomChains.histories(agents, 5);
        List<float[]> futures = futures(histories, 6);
        int[] steps = new int[agents];
        for (int a = 0; a < agents; a++) {
            steps[a] = 1 + (a * 5) % horizons;
        }
        steps[1] = steps[0];
        FlowChainForecaster cut = new FlowChainForecaster(LAYOUT, session, 20);
        FlowChainForecaster whole = new FlowChainForecaster(LAYOUT, new WholePathOnly(session), 20);
        float[] all = cut.stepLogDensities(histories, futures);
        float[] atSteps = cut.stepLogDensitiesAt(histories, futures, steps);
        float[] atStepsWhole = whole.stepLogDensitiesAt(histories, futures, steps);
        for (int a = 0; a < agents; a++) {
            float expected = all[a * horizons + steps[a] - 1];
            assertTrue(Float.isFinite(expected));
            assertEquals(expected, atSteps[a], 1e-6, "agent " + a + " step " + steps[a]);
            assertEquals(expected, atStepsWhole[a], 1e-6, "agent " + a + " step " + steps[a] + " (default)");
        }
        assertThrows(IllegalArgumentException.class,
                () -> cut.stepLogDensitiesAt(histories, futures, new int[agents]));
    }

    @Test
    void theServedExactScoreIsThePathGraphsStep() {
        ChainPathForecaster served = new ChainPathForecaster(new io.flowcast.anomaly.ModelRef("test", 1), LAYOUT,
                session, 0.4);
        int horizons = LAYOUT.futureSteps();
        List<float[]> histories = RandomChains.histories(4, 8);
        List<float[]> futures = futures(histories, 9);
        List<float[]> since = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            since.add(java.util.Arrays.copyOf(futures.get(a), 2 * (a + 1)));
        }
        double[] exact = served.nextLogDensities(histories, since);
        FlowChainForecaster whole = new FlowChainForecaster(LAYOUT, new WholePathOnly(session), 20);
        for (int a = 0; a < 4; a++) {
            // The whole path graph with the observed steps, continued at constant velocity (which step k ignores).
            float[] padded = padded(histories.get(a), since.get(a), horizons);
            // Agent a observed a + 1 steps: its score is step a + 1, at index a.
            float expected = whole.stepLogDensities(List.of(histories.get(a)), List.of(padded))[a];
            assertEquals(expected, exact[a], 1e-6, "agent " + a);
        }
    }

    private static float[] padded(float[] history, float[] observed, int horizons) {
        float[] future = new float[2 * horizons];
        System.arraycopy(observed, 0, future, 0, observed.length);
        SplittableRandom random = new SplittableRandom(observed.length);
        for (int i = observed.length; i < future.length; i++) {
            future[i] = (float) (10 * random.nextGaussian()); // anything: step k reads steps up to k alone
        }
        return future;
    }

    /** Walks continuing each history with noise: futures that land in the splines' interiors and tails. */
    private static List<float[]> futures(List<float[]> histories, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int horizons = LAYOUT.futureSteps();
        List<float[]> out = new ArrayList<>();
        for (float[] history : histories) {
            int n = history.length;
            double x = history[n - 2];
            double y = history[n - 1];
            double vx = x - history[n - 4];
            double vy = y - history[n - 3];
            float[] future = new float[2 * horizons];
            for (int h = 0; h < horizons; h++) {
                vx += 0.1 * random.nextGaussian();
                vy += 0.1 * random.nextGaussian();
                x += vx;
                y += vy;
                future[2 * h] = (float) x;
                future[2 * h + 1] = (float) y;
            }
            out.add(future);
        }
        return out;
    }

    /** The session without its step cuts: {@link ChainBackend#pathLogProbAt}'s default over the whole path graph. */
    private record WholePathOnly(OnnxChainSession session) implements ChainBackend {

        @Override
        public int horizons() {
            return session.horizons();
        }

        @Override
        public int featureWidth() {
            return session.featureWidth();
        }

        @Override
        public void sample(float[] trend, float[] start, float[] noise, int rows, float[] positions, float[] stepLog) {
            session.sample(trend, start, noise, rows, positions, stepLog);
        }

        @Override
        public float[] pathLogProb(float[] trend, float[] delta, float[] motion, int rows) {
            return session.pathLogProb(trend, delta, motion, rows);
        }

        @Override
        public boolean hasMarginals() {
            return true;
        }

        @Override
        public float[] marginalLogProb(float[] trend, float[] residual, int rows) {
            return session.marginalLogProb(trend, residual, rows);
        }

        @Override
        public float[] marginalLogProb(int horizon, float[] trend, float[] residual, int rows) {
            return session.marginalLogProb(horizon, trend, residual, rows);
        }

        @Override
        public float[] stepLogProb(int horizon, float[] delta, float[] context, int rows) {
            return session.stepLogProb(horizon, delta, context, rows);
        }

        @Override
        public void close() {
            // The shared session is closed once, by the test class.
        }
    }
}
