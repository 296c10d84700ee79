package io.flowcast.flow.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.flowcast.flow.FlowParameters;
import java.util.LinkedHashMap;
import java.util.Map;

/** Moves {@link FlowParameters} into NDArrays and back. */
public final class DjlParameters {

    private DjlParameters() {
    }

    /**
     * One array per parameter, owned by {@code manager}. With {@code withGradients}, trainable arrays record
     * gradients (the fixed scaler never does).
     */
    public static Map<String, NDArray> toArrays(NDManager manager, FlowParameters parameters, DataType dataType,
            boolean withGradients) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (String name : parameters.names()) {
            NDArray array = manager.create(parameters.values(name), new Shape(parameters.shape(name)));
            if (dataType != DataType.FLOAT32) {
                NDArray cast = array.toType(dataType, false);
                array.close();
                array = cast;
                array.attach(manager);
            }
            if (withGradients && parameters.trainable(name)) {
                array.setRequiresGradient(true);
            }
            arrays.put(name, array);
        }
        return arrays;
    }

    /** Reads the current values back (as float32), keeping names, shapes and trainable flags of {@code template}. */
    public static FlowParameters fromArrays(Map<String, NDArray> arrays, FlowParameters template) {
        Map<String, FlowParameters.Tensor> tensors = new LinkedHashMap<>();
        for (String name : template.names()) {
            NDArray array = arrays.get(name);
            float[] values = array.getDataType() == DataType.FLOAT32
                    ? array.toFloatArray() : toFloats(array.toDoubleArray());
            tensors.put(name, new FlowParameters.Tensor(template.shape(name), values, template.trainable(name)));
        }
        return FlowParameters.of(tensors);
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }
}
