package io.flowcast.anomaly.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One file prepared for scoring, following {@code nab/sweeper.py} ({@code calcSweepScore}): for every record after
 * the probationary period, its anomaly score, the window it lies in (or none) and the unweighted credit a detection
 * there would earn. The credit depends only on where the record lies, so it is computed once and each profile just
 * multiplies it by A_TP (inside a window) or A_FP (outside).
 *
 * <p>Inside a window of W records ending at index R, record i has y = -(R - i + 1) / W and credit
 * sigma(y) / sigma(-1). Outside, it is sigma(|i - R_prev| / (W_prev - 1)) after a window and -1 before the first
 * one. NAB enters a window only on a record whose timestamp equals the window start exactly and looks the end up the
 * same way; here a window covers the records with start <= t <= end, which is the same set whenever both ends are
 * record timestamps (as in all NAB labels) and stays defined when they are not. Windows that catch no record are
 * dropped, overlapping ones merged, and windows lying wholly in the probationary period neither reward nor cost
 * anything (as in NAB, where their records are all probationary) but still count as the previous window for false
 * positives after them. A previous window of a single record gives y = infinity, i.e. -1 (NAB divides by zero).
 */
final class SeriesSweep {

    static final int OUTSIDE = -1;

    private final String name;
    private final String category;
    private final int windowCount;
    private final double[] scores;
    private final int[] windows;
    private final double[] credits;

    private SeriesSweep(String name, int windowCount, double[] scores, int[] windows, double[] credits) {
        this.name = name;
        int slash = name.lastIndexOf('/');
        this.category = slash < 0 ? "" : name.substring(0, slash);
        this.windowCount = windowCount;
        this.scores = scores;
        this.windows = windows;
        this.credits = credits;
    }

    static SeriesSweep of(ScoredSeries series, List<LabelWindow> labelWindows, List<String> warnings) {
        long[] time = series.timestampsMillis();
        int n = series.size();
        List<int[]> ranges = locate(series.name(), time, labelWindows, warnings);
        int probation = ProbationaryPeriod.length(n);

        // Windows with at least one scorable record get ids 0..counted-1; the others get OUTSIDE.
        int[] ids = new int[ranges.size()];
        int counted = 0;
        for (int k = 0; k < ranges.size(); k++) {
            if (ranges.get(k)[1] >= probation) {
                ids[k] = counted++;
            } else {
                ids[k] = OUTSIDE;
                warnings.add(series.name() + ": window " + k + " lies wholly in the probationary period; not scored");
            }
        }

        int scorable = Math.max(0, n - probation);
        double[] scores = new double[scorable];
        int[] windowOf = new int[scorable];
        double[] credits = new double[scorable];
        int clipped = 0;
        int k = 0;
        int previous = -1;
        for (int i = 0; i < n; i++) {
            boolean inside = k < ranges.size() && i >= ranges.get(k)[0];
            if (i >= probation) {
                int j = i - probation;
                double raw = series.scores()[i];
                double score = sanitize(raw);
                if (score != raw) {
                    clipped++;
                }
                scores[j] = score;
                windowOf[j] = inside ? ids[k] : OUTSIDE;
                credits[j] = inside ? insideCredit(ranges.get(k), i)
                        : outsideCredit(previous < 0 ? null : ranges.get(previous), i);
            }
            if (inside && i == ranges.get(k)[1]) {
                previous = k;
                k++;
            }
        }
        if (clipped > 0) {
            warnings.add(series.name() + ": " + clipped + " scores outside [0, 1] or NaN were clipped (NaN -> 0)");
        }
        return new SeriesSweep(series.name(), counted, scores, windowOf, credits);
    }

    /** Index ranges [first, last] of the records inside each window, sorted, non-empty and non-overlapping. */
    private static List<int[]> locate(String name, long[] time, List<LabelWindow> labelWindows, List<String> warnings) {
        List<LabelWindow> sorted = new ArrayList<>(labelWindows);
        sorted.sort((a, b) -> Long.compare(a.startMillis(), b.startMillis()));
        List<int[]> ranges = new ArrayList<>();
        for (LabelWindow window : sorted) {
            int first = -1;
            int last = -1;
            for (int i = 0; i < time.length; i++) {
                if (first < 0 && time[i] >= window.startMillis()) {
                    first = i;
                }
                if (time[i] <= window.endMillis()) {
                    last = i;
                }
            }
            if (first < 0 || last < first) {
                warnings.add(name + ": window " + window + " contains no record; dropped");
                continue;
            }
            int[] previous = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (previous != null && first <= previous[1]) {
                warnings.add(name + ": window " + window + " overlaps the previous one; merged");
                previous[1] = Math.max(previous[1], last);
                continue;
            }
            ranges.add(new int[] {first, last});
        }
        return ranges;
    }

    private static double insideCredit(int[] range, int i) {
        double width = range[1] - range[0] + 1;
        double position = -(range[1] - i + 1) / width;
        return ScaledSigmoid.value(position) / ScaledSigmoid.AT_WINDOW_START;
    }

    private static double outsideCredit(int[] previousRange, int i) {
        if (previousRange == null) {
            return ScaledSigmoid.value(3.0);
        }
        int width = previousRange[1] - previousRange[0] + 1;
        if (width <= 1) {
            return -1.0;
        }
        return ScaledSigmoid.value(Math.abs(i - previousRange[1]) / (double) (width - 1));
    }

    private static double sanitize(double score) {
        if (Double.isNaN(score)) {
            return 0.0;
        }
        return Math.min(1.0, Math.max(0.0, score));
    }

    /** The file's score at one threshold: a record is a detection when its score is at least the threshold. */
    FileScore scoreAt(NabProfile profile, double threshold) {
        double[] best = new double[windowCount];
        Arrays.fill(best, -profile.fnWeight());
        boolean[] detected = new boolean[windowCount];
        double falsePositiveSum = 0.0;
        int falsePositives = 0;
        for (int j = 0; j < scores.length; j++) {
            if (scores[j] < threshold) {
                continue;
            }
            int window = windows[j];
            if (window == OUTSIDE) {
                falsePositiveSum += profile.fpWeight() * credits[j];
                falsePositives++;
            } else {
                best[window] = Math.max(best[window], profile.tpWeight() * credits[j]);
                detected[window] = true;
            }
        }
        double raw = falsePositiveSum;
        int detectedWindows = 0;
        for (int w = 0; w < windowCount; w++) {
            raw += best[w];
            detectedWindows += detected[w] ? 1 : 0;
        }
        return new FileScore(name, category, windowCount, raw, detectedWindows, falsePositives);
    }

    String name() {
        return name;
    }

    int windowCount() {
        return windowCount;
    }

    int scorableCount() {
        return scores.length;
    }

    double score(int j) {
        return scores[j];
    }

    int window(int j) {
        return windows[j];
    }

    double credit(int j) {
        return credits[j];
    }
}
