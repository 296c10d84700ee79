package io.flowcast.flow.onnx;

import ai.onnx.proto.OnnxMl;
import io.flowcast.flow.CouplingKind;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.MixingKind;
import java.util.HashMap;
import java.util.Map;

/**
 * The arithmetic cost of one log-density, counted from the config: the multiply-adds of the dense layers (each
 * coupling's conditioner MLP, and the LU mixing maps), two FLOPs each. The spline's elementwise work is left out:
 * it is memory-bound, not matrix-multiply work, so leaving it out keeps the "fraction of the machine's matmul rate"
 * an honest lower bound.
 */
public final class FlowCost {

    private FlowCost() {
    }

    /** Dense-layer FLOPs per record of the log_prob pass. */
    public static long matmulFlopsPerRecord(FlowConfig config) {
        int identity = config.identityDimension();
        int transformed = config.transformedDimension();
        int input = identity + config.contextDimension();
        if (input == 0) {
            input = 1; // d = 1, k = 0: the conditioner reads a constant column
        }
        int perElement = config.coupling() == CouplingKind.SPLINE ? 3 * config.bins() - 1 : 2;
        long hidden = config.hiddenWidth();
        long macs = input * hidden + (config.hiddenLayers() - 1) * hidden * hidden
                + hidden * (long) transformed * perElement;
        long perCoupling = 2 * macs;
        long mixing = 0;
        if (config.mixing() == MixingKind.LU && config.dimension() > 1) {
            long d = config.dimension();
            mixing = (config.couplings() - 1) * 2 * (2 * d * d); // x L, then (x L) U
        }
        return config.couplings() * perCoupling + mixing;
    }

    /**
     * The same count read off a graph: 2 n m per row for every MatMul or Gemm whose right operand is an [n, m]
     * initializer.
     * Used to check {@link #matmulFlopsPerRecord} against what the exporter actually emits.
     */
    public static long matmulFlopsPerRecord(OnnxMl.GraphProto graph) {
        Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
        for (OnnxMl.TensorProto tensor : graph.getInitializerList()) {
            initializers.put(tensor.getName(), tensor);
        }
        long flops = 0;
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("MatMul") || node.getOpType().equals("Gemm")) {
                OnnxMl.TensorProto weight = initializers.get(node.getInput(1));
                if (weight == null || weight.getDimsCount() != 2) {
                    throw new IllegalArgumentException("MatMul " + node.getName() + " has no 2-D initializer operand");
                }
                flops += 2 * weight.getDims(0) * weight.getDims(1);
            }
        }
        return flops;
    }
}
