package io.flowcast.anomaly;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A compact form of a {@link HeldOutCalibration} to store with a model: the held-out count n and the sorted scores at
 * a few ranks (every one of the top {@code exactTop} ranks, where alarms are decided, and evenly spaced ranks below).
 *
 * <p>Its tail probability is an upper bound on the full sample's conformal p-value, never below it: with r the
 * highest kept rank whose score is below s, at most n - r held-out scores can be >= s, so
 * p = (1 + n - r) / (n + 1). A larger p can only lower the false-alarm rate, so the guarantee
 * P(p <= alpha) <= alpha on exchangeable data carries over. Above the densely kept top it is exact.
 *
 * @param count  n, the number of held-out scores summarised
 * @param ranks  kept ranks (1 = smallest score, n = largest), strictly increasing, the last one n
 * @param scores the held-out score at each kept rank, non-decreasing
 */
public record CalibrationSketch(long count, long[] ranks, double[] scores) {

    private static final int MAGIC = 0x46434331; // "FCC1"

    public CalibrationSketch {
        if (count < 1 || ranks == null || scores == null || ranks.length != scores.length || ranks.length == 0) {
            throw new IllegalArgumentException("a sketch needs n >= 1 and as many kept scores as ranks");
        }
        ranks = ranks.clone();
        scores = scores.clone();
        for (int i = 0; i < ranks.length; i++) {
            if (ranks[i] < 1 || ranks[i] > count || (i > 0 && (ranks[i] <= ranks[i - 1] || scores[i] < scores[i - 1]))
                    || !Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(
                        "ranks must increase within 1..n and finite scores must not decrease");
            }
        }
        if (ranks[ranks.length - 1] != count) {
            throw new IllegalArgumentException("the largest held-out score (rank n) must be kept");
        }
    }

    /** Summarises sorted scores, keeping the top {@code exactTop} ranks and about {@code spaced} ranks below them. */
    static CalibrationSketch of(double[] sortedScores, int exactTop, int spaced) {
        int n = sortedScores.length;
        if (exactTop < 1 || spaced < 0) {
            throw new IllegalArgumentException("exactTop must be >= 1 and spaced >= 0");
        }
        int top = Math.min(n, exactTop);
        int below = n - top;
        int stride = spaced == 0 || below == 0 ? 0 : Math.max(1, (int) Math.ceil(below / (double) spaced));
        long[] ranks = new long[(stride == 0 ? 0 : below / stride) + top];
        int at = 0;
        for (int r = stride; stride > 0 && r <= below; r += stride) {
            ranks[at++] = r;
        }
        for (int r = below + 1; r <= n; r++) {
            ranks[at++] = r;
        }
        long[] kept = Arrays.copyOf(ranks, at);
        double[] values = new double[at];
        for (int i = 0; i < at; i++) {
            values[i] = sortedScores[(int) kept[i] - 1];
        }
        return new CalibrationSketch(n, kept, values);
    }

    /** Conservative conformal p-value of a raw score: (1 + n - r) / (n + 1); 1 for NaN. */
    public double tailProbability(double rawScore) {
        if (Double.isNaN(rawScore)) {
            return 1;
        }
        int below = countBelow(rawScore);
        long highestRankBelow = below == 0 ? 0 : ranks[below - 1];
        return (1.0 + count - highestRankBelow) / (count + 1.0);
    }

    /** 1 - {@link #tailProbability}: near 1 for a record the model finds unusually unlikely. */
    public double grade(double rawScore) {
        return 1.0 - tailProbability(rawScore);
    }

    /** The smallest tail probability it can give: 1 / (n + 1). */
    public double resolution() {
        return 1.0 / (count + 1);
    }

    /** The largest held-out score. */
    public double max() {
        return scores[scores.length - 1];
    }

    /** Binary form: magic, n, m, then m (rank, score) pairs. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + ranks.length * 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(count);
            out.writeInt(ranks.length);
            for (int i = 0; i < ranks.length; i++) {
                out.writeLong(ranks[i]);
                out.writeDouble(scores[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@link #toBytes}; a truncated or foreign array is an {@link IllegalArgumentException}. */
    public static CalibrationSketch fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a calibration sketch");
            }
            long n = in.readLong();
            int m = in.readInt();
            if (m < 1 || (long) m * 16 > bytes.length) {
                throw new IllegalArgumentException("bad calibration sketch length " + m);
            }
            long[] ranks = new long[m];
            double[] scores = new double[m];
            for (int i = 0; i < m; i++) {
                ranks[i] = in.readLong();
                scores[i] = in.readDouble();
            }
            return new CalibrationSketch(n, ranks, scores);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated calibration sketch", e);
        }
    }

    /** Number of kept scores strictly below the value. */
    private int countBelow(double value) {
        int low = 0;
        int high = scores.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (scores[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CalibrationSketch s && s.count == count && Arrays.equals(s.ranks, ranks)
                && Arrays.equals(s.scores, scores);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(count) + Arrays.hashCode(ranks)) + Arrays.hashCode(scores);
    }

    @Override
    public String toString() {
        return "CalibrationSketch[n=" + count + ", kept=" + ranks.length + ", max=" + max() + "]";
    }
}
