package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowcast.flow.train.TrainedFlow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A 2-D model's density, summed over a fine grid, is 1 (within 1 %): the log-det and base are consistent. */
class DensityIntegrationTest {

    private static final double HALF_WIDTH = 10;
    private static final int CELLS = 500;

    @ParameterizedTest(name = "{0} {1} {2} k={3}")
    @CsvSource({"SPLINE, GAUSSIAN, PERMUTATION, 0", "SPLINE, STUDENT_T, LU, 3", "AFFINE, GAUSSIAN, PERMUTATION, 3"})
    void densityIntegratesToOne(CouplingKind coupling, BaseKind base, MixingKind mixing, int k) {
        FlowConfig config = FlowConfig.builder(2, k).coupling(coupling).base(base).mixing(mixing).couplings(4)
                .hiddenWidth(16).tailBound(4f).seed(3).build();
        ConditionalFlow flow = new ConditionalFlow(config);
        FlowParameters parameters = RandomParameters.of(flow, 21, 0.6f);
        if (base == BaseKind.STUDENT_T) {
            // df about 6 and 9: tails heavy enough to matter, light enough that the grid holds the mass.
            parameters = parameters.with(ConditionalFlow.DF_RAW, new float[] {5f, 8f});
        }
        float[] context = {0.3f, -1.2f, 0.8f};
        double cell = 2 * HALF_WIDTH / CELLS;
        int rowsPerChunk = 50;
        float[] x = new float[rowsPerChunk * CELLS * 2];
        float[] c = new float[rowsPerChunk * CELLS * k];
        for (int i = 0; i < rowsPerChunk * CELLS; i++) {
            System.arraycopy(context, 0, c, i * k, k);
        }
        double mass = 0;
        try (TrainedFlow trained = new TrainedFlow(config, parameters)) {
            for (int start = 0; start < CELLS; start += rowsPerChunk) {
                for (int r = 0; r < rowsPerChunk; r++) {
                    for (int col = 0; col < CELLS; col++) {
                        int i = r * CELLS + col;
                        x[2 * i] = (float) (-HALF_WIDTH + (start + r + 0.5) * cell);
                        x[2 * i + 1] = (float) (-HALF_WIDTH + (col + 0.5) * cell);
                    }
                }
                for (float logDensity : trained.logProb(x, c, rowsPerChunk * CELLS)) {
                    mass += Math.exp(logDensity);
                }
            }
        }
        assertEquals(1.0, mass * cell * cell, 0.01);
    }
}
