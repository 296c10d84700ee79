package io.flowcast.flow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DjlOpsTest {

    @Test
    void shapeOperationsFollowTheContract() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DjlOps ops = new DjlOps(manager, Map.of());
            NDArray a = ops.constant(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertArrayEquals(new float[] {2, 3, 5, 6}, ops.slice(a, 1, 1, 3).toFloatArray());
            assertArrayEquals(new float[] {4, 5, 6}, ops.slice(a, 0, 1, 2).toFloatArray());
            assertArrayEquals(new float[] {3, 6}, ops.slice(a, -1, 2, 3).toFloatArray());
            assertArrayEquals(new float[] {3, 1, 2, 6, 4, 5}, ops.gatherColumns(a, new int[] {2, 0, 1}).toFloatArray());
            assertArrayEquals(new float[] {1, 3, 6, 4, 9, 15}, ops.cumsum(a, 1).toFloatArray());
            assertArrayEquals(new float[] {6, 15}, ops.sum(a, 1, false).toFloatArray());
            assertArrayEquals(new long[] {2, 1}, ops.sum(a, 1, true).getShape().getShape());
            assertArrayEquals(new float[] {9, 1, 2, 3, 0, 9, 4, 5, 6, 0}, ops.padLastAxis(
                    ops.padLastAxis(a, 1, 0, 9f), 0, 1, 0f).toFloatArray());
            NDArray mask = ops.greaterOrEqual(a, ops.scalar(3f));
            assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1}, mask.toFloatArray());
            assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0}, ops.less(a, ops.scalar(3f)).toFloatArray());
            assertArrayEquals(new float[] {-1, -2, 3, 4, 5, 6}, ops.where(mask, a, ops.neg(a)).toFloatArray());
            assertArrayEquals(new long[] {2, 3, 1}, ops.reshape(a, 0, 3, -1).getShape().getShape());
            assertArrayEquals(new long[] {2, 1, 3}, ops.unsqueeze(a, 1).getShape().getShape());
            assertArrayEquals(new float[] {1, 2, 3, 1, 4, 5, 6, 4},
                    ops.concat(List.of(a, ops.slice(a, 1, 0, 1)), 1).toFloatArray());
            NDArray b = ops.constant(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
            assertArrayEquals(new float[] {4, 5, 10, 11}, ops.matmul(a, b).toFloatArray());
            assertArrayEquals(new float[] {2, 2, 3, 4, 4, 4}, ops.clamp(a, 2, 4).toFloatArray());
        }
    }
}
