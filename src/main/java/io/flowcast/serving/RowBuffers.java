package io.flowcast.serving;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Direct float buffers of {@code width} floats per row that one thread reuses across calls, so the hot path
 * allocates no native memory: ONNX Runtime reads and writes a direct buffer in place. The capacity grows in powers
 * of two (size classes) up to a fixed number of rows and never shrinks.
 */
final class RowBuffers {

    private final int width;
    private final int maxRows;
    private FloatBuffer buffer;
    private int capacityRows;

    RowBuffers(int width, int maxRows) {
        this.width = width;
        this.maxRows = maxRows;
    }

    /** A buffer over the first {@code rows} rows (position 0, limit rows * width); its content is stale. */
    FloatBuffer rows(int rows) {
        if (rows > maxRows) {
            throw new IllegalArgumentException(rows + " rows exceed the chunk size " + maxRows);
        }
        if (rows > capacityRows) {
            capacityRows = Math.min(maxRows, Integer.highestOneBit(Math.max(1, rows - 1)) << 1);
            buffer = ByteBuffer.allocateDirect(Math.max(1, capacityRows * width) * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        buffer.clear();
        buffer.limit(rows * width);
        return buffer;
    }

    /** {@link #rows} filled with {@code rows} rows of {@code source} starting at row {@code fromRow}. */
    FloatBuffer filled(float[] source, int fromRow, int rows) {
        FloatBuffer target = rows(rows);
        target.put(source, fromRow * width, rows * width);
        target.flip();
        return target;
    }

    int capacityRows() {
        return capacityRows;
    }
}
