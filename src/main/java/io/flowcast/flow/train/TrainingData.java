package io.flowcast.flow.train;

import java.util.Arrays;
import java.util.Objects;

/**
 * Records to train on: x [n, d] and context c [n, k] as flat row-major arrays, optionally grouped into windows
 * (an entity's consecutive records, or one dependency group) with timestamps, for the dependent-data objectives.
 * Without windows every record is its own window (the i.i.d. case).
 *
 * <p>Rows holding a non-finite value are dropped on construction and counted: one bad record must not poison a
 * model.
 */
public final class TrainingData {

    private final int dimension;
    private final int contextDimension;
    private final float[] x;
    private final float[] c;
    private final long[] windowIds;
    private final long[] timestamps;
    private final int size;
    private final int droppedRows;

    private TrainingData(int dimension, int contextDimension, float[] x, float[] c, long[] windowIds,
            long[] timestamps) {
        if (dimension < 1 || contextDimension < 0) {
            throw new IllegalArgumentException("dimension must be >= 1 and contextDimension >= 0");
        }
        Objects.requireNonNull(x, "x");
        if (x.length % dimension != 0) {
            throw new IllegalArgumentException("x holds " + x.length + " values, not a multiple of d = " + dimension);
        }
        int rows = x.length / dimension;
        float[] context = c == null ? new float[0] : c;
        if (context.length != (long) rows * contextDimension) {
            throw new IllegalArgumentException("c must hold " + (long) rows * contextDimension + " values, has "
                    + context.length);
        }
        if (windowIds != null && (windowIds.length != rows || timestamps == null || timestamps.length != rows)) {
            throw new IllegalArgumentException("window ids and timestamps need one entry per record");
        }
        boolean[] keep = new boolean[rows];
        int kept = 0;
        for (int r = 0; r < rows; r++) {
            keep[r] = finite(x, r * dimension, dimension) && finite(context, r * contextDimension, contextDimension);
            kept += keep[r] ? 1 : 0;
        }
        this.dimension = dimension;
        this.contextDimension = contextDimension;
        this.size = kept;
        this.droppedRows = rows - kept;
        if (kept == rows) {
            this.x = x.clone();
            this.c = context.clone();
            this.windowIds = windowIds == null ? null : windowIds.clone();
            this.timestamps = timestamps == null ? null : timestamps.clone();
        } else {
            this.x = new float[kept * dimension];
            this.c = new float[kept * contextDimension];
            this.windowIds = windowIds == null ? null : new long[kept];
            this.timestamps = windowIds == null ? null : new long[kept];
            int out = 0;
            for (int r = 0; r < rows; r++) {
                if (keep[r]) {
                    System.arraycopy(x, r * dimension, this.x, out * dimension, dimension);
                    System.arraycopy(context, r * contextDimension, this.c, out * contextDimension, contextDimension);
                    if (windowIds != null) {
                        this.windowIds[out] = windowIds[r];
                        this.timestamps[out] = timestamps[r];
                    }
                    out++;
                }
            }
        }
    }

    /** Independent records. {@code c} may be null or empty when k = 0. */
    public static TrainingData iid(int dimension, int contextDimension, float[] x, float[] c) {
        return new TrainingData(dimension, contextDimension, x, c, null, null);
    }

    /** Records grouped into windows: rows with the same window id form one window, ordered by timestamp. */
    public static TrainingData windowed(int dimension, int contextDimension, float[] x, float[] c, long[] windowIds,
            long[] timestamps) {
        Objects.requireNonNull(windowIds, "windowIds");
        Objects.requireNonNull(timestamps, "timestamps");
        return new TrainingData(dimension, contextDimension, x, c, windowIds, timestamps);
    }

    private static boolean finite(float[] values, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!Float.isFinite(values[i])) {
                return false;
            }
        }
        return true;
    }

    public int dimension() {
        return dimension;
    }

    public int contextDimension() {
        return contextDimension;
    }

    public int size() {
        return size;
    }

    /** Rows removed on construction because they held NaN or infinite values. */
    public int droppedRows() {
        return droppedRows;
    }

    public boolean isWindowed() {
        return windowIds != null;
    }

    float x(int row, int column) {
        return x[row * dimension + column];
    }

    void copyX(int row, float[] target, int offset) {
        System.arraycopy(x, row * dimension, target, offset, dimension);
    }

    void copyC(int row, float[] target, int offset) {
        System.arraycopy(c, row * contextDimension, target, offset, contextDimension);
    }

    /** The window id of a row (its own index when the data has no windows). */
    long windowId(int row) {
        return windowIds == null ? row : windowIds[row];
    }

    long timestamp(int row) {
        return timestamps == null ? 0 : timestamps[row];
    }

    /** Per-column mean and standard deviation over the given rows, of x ({@code context == false}) or c. */
    double[][] columnMoments(int[] rows, boolean context) {
        int width = context ? contextDimension : dimension;
        float[] source = context ? c : x;
        double[] mean = new double[width];
        double[] m2 = new double[width];
        long n = 0;
        for (int row : rows) {
            n++;
            for (int j = 0; j < width; j++) {
                double value = source[row * width + j];
                double delta = value - mean[j];
                mean[j] += delta / n;
                m2[j] += delta * (value - mean[j]);
            }
        }
        double[] std = new double[width];
        for (int j = 0; j < width; j++) {
            std[j] = n > 1 ? Math.sqrt(m2[j] / (n - 1)) : 0;
        }
        return new double[][] {mean, std};
    }

    @Override
    public String toString() {
        return "TrainingData[n=" + size + ", d=" + dimension + ", k=" + contextDimension
                + (isWindowed() ? ", windowed" : "") + (droppedRows > 0 ? ", dropped=" + droppedRows : "") + "]"
                + (size == 0 ? "" : " first x=" + Arrays.toString(Arrays.copyOf(x, dimension)));
    }
}
