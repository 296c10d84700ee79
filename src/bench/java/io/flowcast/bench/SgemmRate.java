package io.flowcast.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.flowcast.flow.onnx.OnnxGraphOps;
import io.flowcast.flow.onnx.OnnxModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The machine's own single-precision matrix-multiply rate, measured with the same runtime that serves the flows:
 * an ONNX Runtime MatMul of two n x n float32 matrices (MLAS SGEMM) on a given number of intra-op threads.
 */
final class SgemmRate {

    private SgemmRate() {
    }

    /** Median GFLOP/s (2 n^3 FLOPs per product) over {@code repetitions} timed runs after warm-up. */
    static double gflops(int n, int threads, int repetitions) throws OrtException {
        float[] b = random(n * n, 1);
        OnnxGraphOps ops = new OnnxGraphOps(name -> new OnnxGraphOps.ParameterValue(b, new long[] {n, n}));
        String a = ops.input("a", n, n);
        ops.output(ops.matmul(a, ops.parameter("b")), "product", n, n);
        byte[] model = OnnxModels.model(ops.graph("sgemm"), Map.of()).toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        FloatBuffer input = ByteBuffer.allocateDirect(n * n * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer().put(random(n * n, 2));
        input.flip();
        FloatBuffer output = ByteBuffer.allocateDirect(n * n * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(model, options);
                    OnnxTensor in = OnnxTensor.createTensor(env, input, new long[] {n, n});
                    OnnxTensor out = OnnxTensor.createTensor(env, output, new long[] {n, n})) {
                Map<String, OnnxTensor> inputs = Map.of("a", in);
                Map<String, OnnxTensor> outputs = Map.of("product", out);
                for (int i = 0; i < 3; i++) {
                    session.run(inputs, outputs).close();
                }
                double[] rates = new double[repetitions];
                for (int r = 0; r < repetitions; r++) {
                    long start = System.nanoTime();
                    session.run(inputs, outputs).close();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    rates[r] = 2.0 * n * n * n / seconds / 1e9;
                }
                return Stats.median(rates);
            }
        }
    }

    private static float[] random(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextDouble() - 0.5);
        }
        return values;
    }
}
