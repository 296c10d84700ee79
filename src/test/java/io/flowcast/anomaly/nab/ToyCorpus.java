package io.flowcast.anomaly.nab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small NAB-shaped corpora in tests: records every 5 minutes, windows given as record index ranges. */
final class ToyCorpus {

    static final long START = NabTimestamps.parseMillis("2015-01-01 00:00:00").orElseThrow();
    static final long STEP = 5 * 60 * 1000L;

    private final Map<String, Integer> sizes = new LinkedHashMap<>();
    private final Map<String, List<LabelWindow>> windows = new LinkedHashMap<>();
    private final Map<String, List<int[]>> windowIndices = new LinkedHashMap<>();

    ToyCorpus file(String name, int records, int... windowBounds) {
        sizes.put(name, records);
        List<LabelWindow> list = new ArrayList<>();
        List<int[]> indices = new ArrayList<>();
        for (int k = 0; k < windowBounds.length; k += 2) {
            list.add(new LabelWindow(time(windowBounds[k]), time(windowBounds[k + 1])));
            indices.add(new int[] {windowBounds[k], windowBounds[k + 1]});
        }
        windows.put(name, list);
        windowIndices.put(name, indices);
        return this;
    }

    static long time(int index) {
        return START + index * STEP;
    }

    NabLabels labels() {
        return new NabLabels(windows, List.of());
    }

    int windowCount() {
        return windows.values().stream().mapToInt(List::size).sum();
    }

    List<int[]> windowIndices(String name) {
        return windowIndices.get(name);
    }

    Iterable<String> names() {
        return sizes.keySet();
    }

    /** A zero score everywhere in the file, ready to have detections placed. */
    double[] zeros(String name) {
        return new double[sizes.get(name)];
    }

    ScoredSeries scored(String name, double[] scores) {
        long[] times = new long[scores.length];
        for (int i = 0; i < times.length; i++) {
            times[i] = time(i);
        }
        return new ScoredSeries(name, times, scores);
    }

    /** The same score for every record of every file. */
    List<ScoredSeries> constant(double score) {
        List<ScoredSeries> result = new ArrayList<>();
        for (String name : names()) {
            double[] scores = zeros(name);
            java.util.Arrays.fill(scores, score);
            result.add(scored(name, scores));
        }
        return result;
    }
}
