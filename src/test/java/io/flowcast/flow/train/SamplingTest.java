package io.flowcast.flow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowcast.flow.BaseKind;
import io.flowcast.flow.BaseNoise;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.RandomParameters;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class SamplingTest {

    @Test
    void samplesAreTheInverseOfTheSeededNoise() {
        FlowConfig config = FlowConfig.builder(3, 2).base(BaseKind.STUDENT_T).couplings(3).hiddenWidth(16).build();
        FlowParameters parameters = RandomParameters.of(new ConditionalFlow(config), 4, 0.5f);
        float[] c = {0.5f, -1f, 2f, 0f};
        try (TrainedFlow flow = new TrainedFlow(config, parameters)) {
            float[] samples = flow.sample(c, 2, 50, 99);
            assertEquals(2 * 50 * 3, samples.length);
            assertArrayEquals(samples, flow.sample(c, 2, 50, 99));
            // Row-major [batch][n][d]: the second context's block is the inverse under that context.
            float[] repeated = new float[100 * 2];
            for (int i = 0; i < 100; i++) {
                System.arraycopy(c, (i / 50) * 2, repeated, i * 2, 2);
            }
            float[] codes = flow.encode(samples, repeated, 100);
            float[] noise = BaseNoise.forModel(config, parameters).draw(100, 99);
            for (int i = 0; i < codes.length; i++) {
                assertEquals(noise[i], codes[i], 1e-3 * Math.max(1, Math.abs(noise[i])));
            }
        }
    }

    @Test
    @Tag("slow")
    void trainedGaussianFlowSamplesMatchTheData() {
        TrainingData data = FlowTrainerTest.linearGaussian(4000, 8);
        FlowConfig config = FlowConfig.builder(2, 1).couplings(2).hiddenWidth(16).bins(6).build();
        TrainingResult result = new FlowTrainer(TrainerConfig.builder().batchSize(256).maxEpochs(20)
                .learningRate(5e-3).warmupSteps(10).build()).train(config, data);
        try (TrainedFlow flow = result.toTrainedFlow()) {
            // Given c = 1: x1 ~ 100 + 20 N(1, 0.25), so mean 120, sd 10.
            float[] samples = flow.sample(new float[] {1f}, 1, 4000, 5);
            double mean = 0;
            double square = 0;
            for (int i = 0; i < 4000; i++) {
                mean += samples[2 * i];
                square += samples[2 * i] * (double) samples[2 * i];
            }
            mean /= 4000;
            double sd = Math.sqrt(square / 4000 - mean * mean);
            assertEquals(120, mean, 1.5);
            assertEquals(10, sd, 1.5);
        }
    }

    @Test
    void badBatchesAreRejectedNotCrashed() {
        FlowConfig config = FlowConfig.defaults(2, 1);
        try (TrainedFlow flow = new TrainedFlow(config,
                FlowParameters.initialize(new ConditionalFlow(config).parameters(), 1))) {
            assertThrows(IllegalArgumentException.class, () -> flow.logProb(new float[3], new float[1], 1));
            assertThrows(IllegalArgumentException.class, () -> flow.logProb(new float[2], null, 1));
            assertThrows(IllegalArgumentException.class, () -> flow.sample(new float[2], 1, 3, 1));
            assertEquals(0, flow.logProb(new float[0], new float[0], 0).length);
            float[] nan = flow.logProb(new float[] {Float.NaN, 1}, new float[] {0}, 1);
            assertEquals(1, nan.length);
        }
    }
}
