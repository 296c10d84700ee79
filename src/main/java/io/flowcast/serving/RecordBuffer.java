package io.flowcast.serving;

/** The first (x, context) pairs of one stream, in arrival order, up to a capacity. Not thread-safe. */
final class RecordBuffer {

    final int dimension;
    final int contextDimension;
    final int capacity;
    private final float[] xs;
    private final float[] contexts;
    private int size;

    RecordBuffer(int dimension, int contextDimension, int capacity) {
        this.dimension = dimension;
        this.contextDimension = contextDimension;
        this.capacity = capacity;
        this.xs = new float[capacity * dimension];
        this.contexts = new float[capacity * contextDimension];
    }

    /** False when the pair does not fit the stream's shape or the buffer is full (ignored, never corrupting). */
    boolean add(float[] x, float[] context) {
        if (x.length != dimension || context.length != contextDimension || size == capacity) {
            return false;
        }
        for (float value : x) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        System.arraycopy(x, 0, xs, size * dimension, dimension);
        System.arraycopy(context, 0, contexts, size * contextDimension, contextDimension);
        size++;
        return true;
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == capacity;
    }

    void clear() {
        size = 0;
    }

    float[] x(int from, int count) {
        float[] out = new float[count * dimension];
        System.arraycopy(xs, from * dimension, out, 0, out.length);
        return out;
    }

    float[] context(int from, int count) {
        float[] out = new float[count * contextDimension];
        System.arraycopy(contexts, from * contextDimension, out, 0, out.length);
        return out;
    }
}
