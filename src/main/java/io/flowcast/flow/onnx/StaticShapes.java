package io.flowcast.flow.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * Shape inference for the graphs {@link OnnxGraphOps} builds, as far as it is known while building: a dimension is a
 * size, {@link #BATCH} (the dynamic batch axis every input shares) or {@link #UNKNOWN}. The builder uses it to share
 * work between tensors of equal shape; it never decides a value, so an unknown dimension only costs sharing.
 */
final class StaticShapes {

    static final long BATCH = -1;
    static final long UNKNOWN = -2;

    private StaticShapes() {
    }

    /** Declared input shapes: -1 is the batch axis. */
    static long[] declared(long[] shape) {
        long[] dims = shape.clone();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                dims[i] = BATCH;
            }
        }
        return dims;
    }

    /** Numpy broadcasting of any number of shapes. */
    static long[] broadcast(List<long[]> shapes) {
        int rank = 0;
        for (long[] shape : shapes) {
            rank = Math.max(rank, shape.length);
        }
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long dim = 1;
            for (long[] shape : shapes) {
                int j = shape.length - rank + i;
                long candidate = j < 0 ? 1 : shape[j];
                if (candidate == 1 || candidate == dim) {
                    continue;
                }
                dim = dim == 1 ? candidate : UNKNOWN;
            }
            out[i] = dim;
        }
        return out;
    }

    /** [.., n] x [n, m] -> [.., m]; other operand ranks keep only the rank. */
    static long[] matmul(long[] a, long[] b) {
        if (b.length == 2 && a.length >= 1) {
            long[] out = a.clone();
            out[a.length - 1] = b[1];
            return out;
        }
        return unknown(Math.max(a.length, b.length));
    }

    static long[] reduce(long[] a, int axis, boolean keepDims) {
        int at = normalise(axis, a.length);
        if (keepDims) {
            long[] out = a.clone();
            out[at] = 1;
            return out;
        }
        long[] out = new long[a.length - 1];
        for (int i = 0, j = 0; i < a.length; i++) {
            if (i != at) {
                out[j++] = a[i];
            }
        }
        return out;
    }

    /** ONNX Slice on one axis: negative bounds count from the end, bounds clamp to the axis. */
    static long[] slice(long[] a, int axis, long from, long to) {
        int at = normalise(axis, a.length);
        long[] out = a.clone();
        long dim = a[at];
        if (dim >= 0) {
            long start = clamp(from < 0 ? from + dim : from, dim);
            long end = clamp(to < 0 ? to + dim : to, dim);
            out[at] = Math.max(0, end - start);
        } else if (!(from == 0 && to == Long.MAX_VALUE)) {
            out[at] = UNKNOWN;
        }
        return out;
    }

    static long[] withDim(long[] a, int axis, long size) {
        long[] out = a.clone();
        out[normalise(axis, a.length)] = size;
        return out;
    }

    static long[] concat(List<long[]> parts, int axis) {
        long[] out = parts.get(0).clone();
        int at = normalise(axis, out.length);
        long total = 0;
        for (long[] part : parts) {
            total = total < 0 || part[at] < 0 ? UNKNOWN : total + part[at];
        }
        out[at] = total;
        return out;
    }

    /** ONNX Reshape without allowzero: 0 copies the input's dimension, one -1 is inferred. */
    static long[] reshape(long[] a, long[] spec) {
        long[] out = new long[spec.length];
        int inferred = -1;
        long knownOut = 1;
        int batchesOut = 0;
        boolean unknownOut = false;
        for (int i = 0; i < spec.length; i++) {
            long dim = spec[i] == 0 && i < a.length ? a[i] : spec[i];
            if (spec[i] == -1) {
                inferred = i;
                continue;
            }
            out[i] = dim;
            if (dim == BATCH) {
                batchesOut++;
            } else if (dim == UNKNOWN) {
                unknownOut = true;
            } else {
                knownOut *= dim;
            }
        }
        if (inferred < 0) {
            return out;
        }
        long knownIn = 1;
        int batchesIn = 0;
        boolean unknownIn = false;
        for (long dim : a) {
            if (dim == BATCH) {
                batchesIn++;
            } else if (dim == UNKNOWN) {
                unknownIn = true;
            } else {
                knownIn *= dim;
            }
        }
        long value = UNKNOWN;
        if (!unknownIn && !unknownOut && knownOut > 0 && knownIn % knownOut == 0) {
            if (batchesIn == batchesOut) {
                value = knownIn / knownOut;
            } else if (batchesIn == batchesOut + 1 && knownIn == knownOut) {
                value = BATCH;
            }
        }
        out[inferred] = value;
        return out;
    }

    static long[] unsqueeze(long[] a, int axis) {
        int at = normalise(axis, a.length + 1);
        long[] out = new long[a.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == at ? 1 : a[j++];
        }
        return out;
    }

    /** Whether every dimension is a size, except a leading batch axis. */
    static boolean knownUpToBatch(long[] dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 && !(i == 0 && dims[i] == BATCH)) {
                return false;
            }
        }
        return true;
    }

    static long[] unknown(int rank) {
        long[] dims = new long[rank];
        Arrays.fill(dims, UNKNOWN);
        return dims;
    }

    private static int normalise(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    private static long clamp(long index, long dim) {
        return Math.max(0, Math.min(index, dim));
    }
}
