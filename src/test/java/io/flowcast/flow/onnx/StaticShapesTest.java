package io.flowcast.flow.onnx;

import static io.flowcast.flow.onnx.StaticShapes.BATCH;
import static io.flowcast.flow.onnx.StaticShapes.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticShapesTest {

    @Test
    void broadcastingFollowsNumpy() {
        assertArrayEquals(new long[] {BATCH, 3, 8}, StaticShapes.broadcast(List.of(new long[] {BATCH, 3, 1},
                new long[] {1, 1, 8})));
        assertArrayEquals(new long[] {BATCH, 3}, StaticShapes.broadcast(List.of(new long[] {BATCH, 3},
                new long[] {})));
        assertArrayEquals(new long[] {UNKNOWN}, StaticShapes.broadcast(List.of(new long[] {BATCH},
                new long[] {4})));
    }

    @Test
    void reshapeInfersTheBatchAxisOnlyWhenItStaysWhole() {
        assertArrayEquals(new long[] {BATCH, 2, 23},
                StaticShapes.reshape(new long[] {BATCH, 46}, new long[] {-1, 2, 23}));
        assertArrayEquals(new long[] {BATCH, 2, 23},
                StaticShapes.reshape(new long[] {BATCH, 46}, new long[] {0, 2, -1}));
        assertArrayEquals(new long[] {UNKNOWN}, StaticShapes.reshape(new long[] {BATCH, 46}, new long[] {-1}));
        assertArrayEquals(new long[] {6, 4}, StaticShapes.reshape(new long[] {2, 3, 4}, new long[] {-1, 4}));
    }

    @Test
    void sliceClampsLikeOnnx() {
        assertArrayEquals(new long[] {BATCH, 7}, StaticShapes.slice(new long[] {BATCH, 9}, 1, 1, -1));
        assertArrayEquals(new long[] {BATCH, 2}, StaticShapes.slice(new long[] {BATCH, 5}, -1, 3, Long.MAX_VALUE));
        assertArrayEquals(new long[] {UNKNOWN, 5}, StaticShapes.slice(new long[] {BATCH, 5}, 0, 0, 3));
        assertArrayEquals(new long[] {0}, StaticShapes.slice(new long[] {4}, 0, 6, 9));
    }

    @Test
    void paddingsOfOneShapeShareTheirConstantBlock() {
        OnnxGraphOps ops = OnnxGraphOps.withoutParameters();
        String x = ops.input("x", -1, 3, 8);
        String first = ops.padLastAxis(ops.exp(x), 1, 0, 0f);
        String second = ops.padLastAxis(ops.tanh(x), 1, 0, 0f);
        String third = ops.padLastAxis(ops.abs(x), 0, 1, 1f);
        ops.output(ops.add(ops.add(first, second), ops.slice(third, -1, 0, 9)), "y", -1, 3, 9);
        OnnxMl.GraphProto graph = ops.graph("g");
        assertEquals(2, graph.getNodeList().stream().filter(n -> n.getOpType().equals("Expand")).count());
        assertEquals(1, graph.getNodeList().stream().filter(n -> n.getOpType().equals("Shape")).count());
    }
}
