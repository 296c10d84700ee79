package io.flowcast.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.flow.BaseKind;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.onnx.FlowArtifact;
import io.flowcast.flow.onnx.TestFlows;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxFlowSessionTest {

    private static final FlowConfig CONFIG = FlowConfig.builder(3, 5).couplings(2).hiddenWidth(16)
            .base(BaseKind.STUDENT_T).build();
    private static FlowArtifact artifact;
    private static OnnxFlowSession session;

    @BeforeAll
    static void open() throws Exception {
        artifact = TestFlows.export(CONFIG, 77);
        session = OnnxFlowSession.open(artifact, new SessionSettings(1, 1024),
                new ExecutionProviderSelector(ProviderChoice.CPU));
    }

    @AfterAll
    static void close() {
        session.close();
    }

    @Test
    void autoOnAMachineWithoutGpuServesOnCpu() throws Exception {
        Assumptions.assumeFalse(Files.exists(ExecutionProviderSelector.NVIDIA_DRIVER_MARKER), "this host has a GPU");
        try (OnnxFlowSession auto = OnnxFlowSession.open(artifact, SessionSettings.defaults(),
                new ExecutionProviderSelector(ProviderChoice.AUTO))) {
            assertEquals(ExecutionProvider.CPU, auto.providerInUse());
            assertEquals(3, auto.dimension());
            assertEquals(5, auto.contextDimension());
        }
    }

    @Test
    void batchesLargerThanAChunkGiveTheSameScores() throws Exception {
        int batch = 100;
        float[] x = TestFlows.randomRows(batch, 3, 1);
        float[] c = TestFlows.randomRows(batch, 5, 2);
        try (OnnxFlowSession chunked = OnnxFlowSession.open(artifact, new SessionSettings(1, 7),
                new ExecutionProviderSelector(ProviderChoice.CPU))) {
            assertTrue(TestFlows.maxRelativeError(chunked.logProb(x, c, batch), session.logProb(x, c, batch)) < 1e-6);
            assertTrue(TestFlows.maxRelativeError(chunked.codes(x, c, batch), session.codes(x, c, batch)) < 1e-6);
            assertTrue(TestFlows.maxRelativeError(chunked.sampleFromNoise(c, x, batch),
                    session.sampleFromNoise(c, x, batch)) < 1e-6);
        }
    }

    @Test
    void batchesSplitIntoRowBlocksGiveTheSameScores() throws Exception {
        int batch = 101;
        float[] x = TestFlows.randomRows(batch, 3, 5);
        float[] c = TestFlows.randomRows(batch, 5, 6);
        float[] expected = session.logProb(x, c, batch);
        for (int threads : new int[] {2, 3, 7}) {
            // Blocks of ceil(101 / threads) rows, each cut again into chunks of at most 16 rows.
            try (OnnxFlowSession split = OnnxFlowSession.open(artifact, new SessionSettings(threads, 16, 64),
                    new ExecutionProviderSelector(ProviderChoice.CPU))) {
                assertTrue(TestFlows.maxRelativeError(split.logProb(x, c, batch), expected) < 1e-6);
                assertTrue(TestFlows.maxRelativeError(split.codes(x, c, batch), session.codes(x, c, batch)) < 1e-6);
                assertTrue(TestFlows.maxRelativeError(split.sampleFromNoise(c, x, batch),
                        session.sampleFromNoise(c, x, batch)) < 1e-6);
                float[] few = split.logProb(Arrays.copyOf(x, 30), Arrays.copyOf(c, 50), 10);
                assertTrue(TestFlows.maxRelativeError(few, Arrays.copyOf(expected, 10)) < 1e-6);
            }
        }
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        int[] batches = {1, 3, 16, 100, 700, 2000};
        List<float[]> xs = new ArrayList<>();
        List<float[]> cs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < batches.length; i++) {
            xs.add(TestFlows.randomRows(batches[i], 3, 10 + i));
            cs.add(TestFlows.randomRows(batches[i], 5, 20 + i));
            expected.add(session.logProb(xs.get(i), cs.get(i), batches[i]));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 30; round++) {
                        int i = (round + offset) % batches.length;
                        float[] out = session.logProb(xs.get(i), cs.get(i), batches[i]);
                        if (TestFlows.maxRelativeError(out, expected.get(i)) > 1e-6) {
                            throw new AssertionError("batch " + batches[i] + " differs under concurrency");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sampleIsSeededAndShaped() {
        float[] c = TestFlows.randomRows(4, 5, 3);
        float[] first = session.sample(c, 4, 6, 42L);
        assertEquals(4 * 6 * 3, first.length);
        assertArrayEquals(first, session.sample(c, 4, 6, 42L));
        assertFalse(Arrays.equals(first, session.sample(c, 4, 6, 43L)));
        for (float value : first) {
            assertTrue(Float.isFinite(value));
        }
        assertEquals(0, session.sample(new float[0], 0, 6, 1L).length);
    }

    @Test
    void flowsWithoutContextTakeNoContext() throws Exception {
        try (OnnxFlowSession noContext = OnnxFlowSession.openOnCpu(
                TestFlows.export(FlowConfig.builder(2, 0).couplings(2).hiddenWidth(8).build(), 5))) {
            float[] x = TestFlows.randomRows(10, 2, 4);
            assertArrayEquals(noContext.logProb(x, null, 10), noContext.logProb(x, new float[0], 10));
            assertEquals(3 * 2, noContext.sample(null, 1, 3, 1L).length);
            assertThrows(IllegalArgumentException.class, () -> noContext.logProb(x, new float[10], 10));
        }
    }

    @Test
    void badInputIsRejectedBeforeItReachesNativeCode() {
        float[] x = new float[6];
        float[] c = new float[10];
        assertThrows(IllegalArgumentException.class, () -> session.logProb(x, c, 3));
        assertThrows(IllegalArgumentException.class, () -> session.logProb(new float[5], c, 2));
        assertThrows(IllegalArgumentException.class, () -> session.logProb(x, new float[9], 2));
        assertThrows(IllegalArgumentException.class, () -> session.logProb(x, c, -1));
        assertThrows(NullPointerException.class, () -> session.logProb(null, c, 2));
        assertThrows(NullPointerException.class, () -> session.logProb(x, null, 2));
        assertThrows(IllegalArgumentException.class, () -> session.logProb(x, c, 2, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> session.sample(c, -2, 3, 1L));
        assertEquals(0, session.logProb(new float[0], new float[0], 0).length);
    }

    @Test
    void nonFiniteInputGivesNonFiniteScoresNotCrashes() {
        float[] x = {Float.NaN, 0, 0, Float.POSITIVE_INFINITY, 0, 0, 0.5f, 0.5f, 0.5f};
        float[] out = session.logProb(x, new float[15], 3);
        assertTrue(Float.isNaN(out[0]) || Float.isInfinite(out[0]));
        assertTrue(Float.isFinite(out[2]));
    }

    @Test
    void aClosedSessionRefusesWork() throws Exception {
        OnnxFlowSession closing = OnnxFlowSession.openOnCpu(artifact);
        closing.close();
        closing.close();
        assertThrows(IllegalStateException.class, () -> closing.logProb(new float[3], new float[5], 1));
        assertThrows(IllegalStateException.class, () -> closing.sample(new float[5], 1, 1, 1L));
    }

    @Test
    void aOneDimensionalFlowKnowsItsConditionalMediansExactly() throws Exception {
        FlowConfig oneD = FlowConfig.builder(1, 4).couplings(2).hiddenWidth(16).base(BaseKind.STUDENT_T).build();
        try (OnnxFlowSession flow = OnnxFlowSession.openOnCpu(TestFlows.export(oneD, 91))) {
            int contexts = 3;
            int n = 20_001;
            float[] c = TestFlows.randomRows(contexts, 4, 8);
            float[] medians = flow.exactMedians(c, contexts).orElseThrow();
            float[] samples = flow.sample(c, contexts, n, 5L);
            for (int i = 0; i < contexts; i++) {
                float[] own = Arrays.copyOfRange(samples, i * n, (i + 1) * n);
                Arrays.sort(own);
                // The sample median's standard error is about 1.25 sd / sqrt(n): under a hundredth of the spread.
                double spread = own[(int) (0.75 * n)] - own[(int) (0.25 * n)];
                assertEquals(own[n / 2], medians[i], 0.03 * spread, "context " + i);
            }
        }
        assertTrue(session.exactMedians(new float[5], 1).isEmpty(), "in 3-D the image of z = 0 is no median");
    }
}
