package io.flowcast.flow.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The records of a {@link TrainingData} grouped into windows (ordered by time within each), split into training and
 * validation windows, and packed into batches of whole windows. All randomness comes from one seeded generator, so a
 * seed fixes every batch.
 */
final class WindowIndex {

    /** Rows of window w are rows[starts[w] .. starts[w+1]). */
    private final int[] rows;
    private final int[] starts;
    private final TrainingData data;

    WindowIndex(TrainingData data) {
        this.data = data;
        int n = data.size();
        if (!data.isWindowed()) {
            rows = IntStream.range(0, n).toArray();
            starts = IntStream.rangeClosed(0, n).toArray();
            return;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(data::windowId).thenComparingLong(data::timestamp)
                .thenComparingInt(i -> i));
        rows = new int[n];
        List<Integer> windowStarts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows[i] = order[i];
            if (i == 0 || data.windowId(order[i]) != data.windowId(order[i - 1])) {
                windowStarts.add(i);
            }
        }
        windowStarts.add(n);
        starts = windowStarts.stream().mapToInt(Integer::intValue).toArray();
    }

    int windowCount() {
        return starts.length - 1;
    }

    int windowLength(int window) {
        return starts[window + 1] - starts[window];
    }

    /** Window ids split at random: {@code [0]} training, {@code [1]} validation (at least one window each if possible). */
    int[][] split(double validationFraction, SplittableRandom random) {
        int[] windows = IntStream.range(0, windowCount()).toArray();
        shuffle(windows, random);
        int validation = (int) Math.round(windows.length * validationFraction);
        if (validationFraction > 0 && windows.length > 1) {
            validation = Math.max(1, Math.min(windows.length - 1, validation));
        }
        int[] validationWindows = Arrays.copyOfRange(windows, 0, validation);
        int[] trainingWindows = Arrays.copyOfRange(windows, validation, windows.length);
        Arrays.sort(validationWindows);
        Arrays.sort(trainingWindows);
        return new int[][] {trainingWindows, validationWindows};
    }

    /** The record indices of the given windows. */
    int[] rowsOf(int[] windows) {
        int count = 0;
        for (int w : windows) {
            count += windowLength(w);
        }
        int[] out = new int[count];
        int at = 0;
        for (int w : windows) {
            System.arraycopy(rows, starts[w], out, at, windowLength(w));
            at += windowLength(w);
        }
        return out;
    }

    /**
     * Packs windows into batches of at most {@code batchSize} records (a longer window is a batch alone), in the
     * given order.
     */
    List<int[]> pack(int[] windows, int batchSize) {
        List<int[]> batches = new ArrayList<>();
        int from = 0;
        while (from < windows.length) {
            int records = windowLength(windows[from]);
            int to = from + 1;
            while (to < windows.length && records + windowLength(windows[to]) <= batchSize) {
                records += windowLength(windows[to]);
                to++;
            }
            batches.add(Arrays.copyOfRange(windows, from, to));
            from = to;
        }
        return batches;
    }

    /**
     * The leading windows of {@code order} that hold about {@code maxRecords} records: windows are taken whole while
     * the total stays below the bound (at least one); {@code maxRecords <= 0} or a bound the windows do not reach
     * gives {@code order} itself.
     */
    int[] leading(int[] order, long maxRecords) {
        if (maxRecords <= 0) {
            return order;
        }
        long records = 0;
        int count = 0;
        while (count < order.length && (count == 0 || records + windowLength(order[count]) <= maxRecords)) {
            records += windowLength(order[count]);
            count++;
        }
        return count == order.length ? order : Arrays.copyOf(order, count);
    }

    /** Records in the given windows. */
    long records(int[] windows) {
        long count = 0;
        for (int w : windows) {
            count += windowLength(w);
        }
        return count;
    }

    /** The rows, values and metadata of a batch of windows. */
    Batch batch(int[] windows) {
        int size = 0;
        for (int w : windows) {
            size += windowLength(w);
        }
        int d = data.dimension();
        int k = data.contextDimension();
        float[] x = new float[size * d];
        float[] c = new float[size * k];
        long[] ids = new long[size];
        long[] times = new long[size];
        int[] windowStarts = new int[windows.length + 1];
        int at = 0;
        for (int i = 0; i < windows.length; i++) {
            windowStarts[i] = at;
            for (int r = starts[windows[i]]; r < starts[windows[i] + 1]; r++) {
                int row = rows[r];
                data.copyX(row, x, at * d);
                data.copyC(row, c, at * k);
                ids[at] = data.windowId(row);
                times[at] = data.timestamp(row);
                at++;
            }
        }
        windowStarts[windows.length] = size;
        return new Batch(x, c, new BatchMetadata(size, ids, times, windowStarts));
    }

    static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = values[i];
            values[i] = values[j];
            values[j] = tmp;
        }
    }

    record Batch(float[] x, float[] c, BatchMetadata metadata) {
    }
}
