package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sampling graph (the served forecast) against the generic forecast graph (the flow math recorded operation by
 * operation) on an untrained chain with far-from-identity splines: the same paths and exact step log-densities from
 * the same codes, tails included.
 */
@Tag("slow")
class SamplingGraphTest {

    private static final ChainLayout LAYOUT = ChainLayout.standard();
    private static ChainGraphs.Models leanModels;
    private static ChainGraphs.Models genericModels;
    /** Opening a session optimises its graphs (seconds for the generic one): one pair for both tests. */
    private static OnnxChainSession leanSession;
    private static OnnxChainSession genericSession;

    @BeforeAll
    static void open() throws Exception {
        ChainGraphs graphs = new ChainGraphs(RandomChains.of(LAYOUT, 17));
        leanModels = graphs.export("test", "1");
        genericModels = graphs.exportGeneric("test", "1");
        leanSession = OnnxChainSession.open(leanModels);
        genericSession = OnnxChainSession.open(genericModels);
    }

    @AfterAll
    static void close() {
        leanSession.close();
        genericSession.close();
    }

    @Test
    void samplesAndLogDensitiesMatchTheGenericGraph() {
        assertTrue(leanModels.forecastPerAgent());
        assertTrue(leanModels.forecastNodes() < genericModels.forecastNodes() / 2,
                leanModels.forecastNodes() + " nodes vs " + genericModels.forecastNodes());

        int agents = 5;
        int perAgent = 9;
        int rows = agents * perAgent;
        int horizons = LAYOUT.futureSteps();
        int f = LAYOUT.featureWidth();
        SplittableRandom random = new SplittableRandom(3);
        float[] trend = new float[agents * f];
        for (int i = 0; i < trend.length; i++) {
            trend[i] = (float) random.nextGaussian();
        }
        float[] start = new float[rows * 4];
        for (int row = 0; row < rows; row++) {
            start[4 * row] = (float) (-0.6 * random.nextDouble());
            start[4 * row + 1] = (float) (0.1 * random.nextGaussian());
        }
        float[] noise = new float[rows * 2 * horizons];
        for (int i = 0; i < noise.length; i++) {
            // Every seventh code far out, so that couplings also run in the spline's linear tails.
            noise[i] = (float) (i % 7 == 0 ? 9 * random.nextGaussian() : random.nextGaussian());
        }
        OnnxChainSession a = genericSession;
        OnnxChainSession b = leanSession;
        {
            float[] expectedPositions = new float[rows * 2 * horizons];
            float[] expectedLog = new float[rows * horizons];
            a.sampleAgents(trend, agents, perAgent, start, noise, expectedPositions, expectedLog);
            float[] positions = new float[rows * 2 * horizons];
            float[] stepLog = new float[rows * horizons];
            b.sampleAgents(trend, agents, perAgent, start, noise, positions, stepLog);
            assertClose(expectedPositions, positions, "positions");
            assertClose(expectedLog, stepLog, "step log-densities");

            // One trend per row (the interface without agents) gives the same through the per-agent graph.
            float[] rowTrend = new float[rows * f];
            for (int row = 0; row < rows; row++) {
                System.arraycopy(trend, (row / perAgent) * f, rowTrend, row * f, f);
            }
            float[] perRow = new float[rows * 2 * horizons];
            float[] perRowLog = new float[rows * horizons];
            b.sample(rowTrend, start, noise, rows, perRow, perRowLog);
            assertClose(positions, perRow, "positions, one trend per row");
            assertClose(stepLog, perRowLog, "step log-densities, one trend per row");
        }
    }

    @Test
    void forecastsThroughTheSamplingGraphMatchTheGenericOnes() {
        List<float[]> histories = RandomChains.histories(4, 5);
        // Not closed here: the forecasters would close the shared sessions.
        FlowChainForecaster generic = new FlowChainForecaster(LAYOUT, genericSession, 20);
        FlowChainForecaster lean = new FlowChainForecaster(LAYOUT, leanSession, 20);
        {
            ForecastBatch expected = generic.forecast(histories, 11);
            ForecastBatch actual = lean.forecast(histories, 11);
            for (int agent = 0; agent < histories.size(); agent++) {
                assertClose(expected.forecast(agent).paths(), actual.forecast(agent).paths(), "paths");
                assertClose(expected.forecast(agent).jointLogDensity(), actual.forecast(agent).jointLogDensity(),
                        "joint log-densities");
                assertClose(expected.forecast(agent).mostLikely(), actual.forecast(agent).mostLikely(),
                        "most likely path");
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Float.isFinite(actual[i]), what + " [" + i + "] is " + actual[i]);
            double tolerance = 1e-4 * Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "]");
        }
    }
}
