package io.flowcast.flow.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a small graph built with {@link OnnxGraphOps} in ONNX Runtime (CPU) and returns its one output. */
final class OrtGraphRunner {

    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();

    OrtGraphRunner feed(String name, float[] data, long... shape) {
        values.put(name, data);
        shapes.put(name, shape);
        return this;
    }

    float[] run(OnnxMl.ModelProto model) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toByteArray(), options)) {
                Map<String, OnnxTensor> inputs = new HashMap<>();
                try {
                    for (Map.Entry<String, float[]> entry : values.entrySet()) {
                        inputs.put(entry.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(entry.getValue()),
                                shapes.get(entry.getKey())));
                    }
                    try (OrtSession.Result result = session.run(inputs)) {
                        FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                        float[] array = new float[out.remaining()];
                        out.get(array);
                        return array;
                    }
                } finally {
                    inputs.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    float[] run(OnnxGraphOps ops, String output, long... outputShape) throws OrtException {
        ops.output(output, "out", outputShape);
        return run(OnnxModels.model(ops.graph("test"), Map.of()));
    }
}
