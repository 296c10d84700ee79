package io.flowcast.flow.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.Map;

/** Wraps a graph into a self-contained ONNX model. */
public final class OnnxModels {

    /** IR version 8 is the one that goes with opset 17. */
    public static final long IR_VERSION = 8;
    public static final String PRODUCER = "flowcast";

    private OnnxModels() {
    }

    /**
     * A model around {@code graph} importing the default ONNX domain at {@link OnnxGraphOps#OPSET}, with
     * {@code metadata} as its metadata_props (in the map's iteration order, so an ordered map gives stable bytes).
     */
    public static OnnxMl.ModelProto model(OnnxMl.GraphProto graph, Map<String, String> metadata) {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(PRODUCER)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxGraphOps.OPSET))
                .setGraph(graph);
        metadata.forEach((key, value) ->
                model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build();
    }
}
