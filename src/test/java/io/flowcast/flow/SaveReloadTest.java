package io.flowcast.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowcast.flow.train.TrainedFlow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveReloadTest {

    @Test
    void reloadedParametersGiveBitIdenticalScores(@TempDir Path dir) throws IOException {
        FlowConfig config = FlowConfig.builder(5, 16).base(BaseKind.STUDENT_T).mixing(MixingKind.LU).build();
        ConditionalFlow flow = new ConditionalFlow(config);
        FlowParameters parameters = RandomParameters.of(flow, 5, 0.5f);
        Path file = dir.resolve("flow.params");
        parameters.save(file);
        FlowParameters reloaded = FlowParameters.load(file);
        assertEquals(parameters, reloaded);
        assertArrayEquals(parameters.toBytes(), reloaded.toBytes());

        int batch = 300;
        SplittableRandom random = new SplittableRandom(9);
        float[] x = new float[batch * 5];
        float[] c = new float[batch * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian() * 2;
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) random.nextGaussian();
        }
        try (TrainedFlow original = new TrainedFlow(config, parameters);
                TrainedFlow restored = new TrainedFlow(config, reloaded)) {
            float[] a = original.logProb(x, c, batch);
            float[] b = restored.logProb(x, c, batch);
            for (int i = 0; i < batch; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "row " + i);
            }
            assertArrayEquals(original.sample(c, batch, 3, 77), restored.sample(c, batch, 3, 77));
        }
    }

    @Test
    void corruptedOrForeignBytesAreRejected() {
        FlowParameters parameters = FlowParameters.initialize(new ConditionalFlow(FlowConfig.defaults(2, 1)).parameters(), 1);
        byte[] bytes = parameters.toBytes();
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 1;
        assertThrows(IOException.class, () -> FlowParameters.fromBytes(flipped));
        assertThrows(IOException.class, () -> FlowParameters.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)));
        assertThrows(IOException.class, () -> FlowParameters.fromBytes(new byte[] {1, 2, 3}));
        assertThrows(IOException.class, () -> FlowParameters.fromBytes(new byte[64]));
    }

    @Test
    void equalityIsByValue() {
        ConditionalFlow flow = new ConditionalFlow(FlowConfig.defaults(3, 2));
        FlowParameters a = FlowParameters.initialize(flow.parameters(), 4);
        FlowParameters b = FlowParameters.initialize(flow.parameters(), 4);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, FlowParameters.initialize(flow.parameters(), 5));
        float[] mean = a.values(ConditionalFlow.X_MEAN);
        mean[0] = Math.nextUp(mean[0]);
        assertNotEquals(a, a.with(ConditionalFlow.X_MEAN, mean));
    }
}
