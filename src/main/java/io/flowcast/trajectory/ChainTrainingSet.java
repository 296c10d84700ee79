package io.flowcast.trajectory;

import io.flowcast.flow.train.TrainingData;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training records of every step of the chain: for step n, the true residual delta_n with the true previous
 * steps in the context (teacher forcing, see {@link ChainLayout}); and of every horizon's marginal flow: the residual
 * to constant velocity given the trend alone. Windows are subsampled, seeded, to at most
 * {@code maxWindows} to keep training time bounded.
 */
public final class ChainTrainingSet {

    private final List<TrainingData> steps;
    private final List<TrainingData> marginals;
    private final int windows;

    private ChainTrainingSet(List<TrainingData> steps, List<TrainingData> marginals, int windows) {
        this.steps = steps;
        this.marginals = marginals;
        this.windows = windows;
    }

    public static ChainTrainingSet build(ChainLayout layout, List<TrajectoryWindow> source, int maxWindows,
            long seed) {
        List<TrajectoryWindow> chosen = subsample(source, layout, maxWindows, seed);
        int n = chosen.size();
        int horizons = layout.futureSteps();
        int k = layout.contextWidth();
        int f = layout.featureWidth();
        float[][] x = new float[horizons][2 * n];
        float[][] c = new float[horizons][k * n];
        float[][] marginalX = new float[horizons][2 * n];
        float[] marginalC = new float[f * n];
        HistoryFeatures features = layout.newFeatures();
        CanonicalFrame frame = new CanonicalFrame();
        float[] trend = new float[f];
        double[] local = new double[2 * (horizons + 2)];
        for (int w = 0; w < n; w++) {
            TrajectoryWindow window = chosen.get(w);
            localPath(window, layout.speedScale(), frame, features, trend, local);
            System.arraycopy(trend, 0, marginalC, f * w, f);
            for (int h = 0; h < horizons; h++) {
                // local[2 * (h + 2)] is u_{h+1}; index 0 is u_{-1}, index 1 is u_0 = 0.
                int cur = 2 * (h + 2);
                int prev = cur - 2;
                int prevPrev = cur - 4;
                x[h][2 * w] = (float) (local[cur] - 2 * local[prev] + local[prevPrev]);
                x[h][2 * w + 1] = (float) (local[cur + 1] - 2 * local[prev + 1] + local[prevPrev + 1]);
                ChainLayout.writeContext(trend, 0, f, local[prev], local[prev + 1], local[prevPrev],
                        local[prevPrev + 1], c[h], k * w);
                marginalX[h][2 * w] = (float) ChainLayout.marginalResidual(local[cur], local[0], h + 1);
                marginalX[h][2 * w + 1] = (float) ChainLayout.marginalResidual(local[cur + 1], local[1], h + 1);
            }
        }
        List<TrainingData> steps = new ArrayList<>(horizons);
        List<TrainingData> marginals = new ArrayList<>(horizons);
        for (int h = 0; h < horizons; h++) {
            steps.add(TrainingData.iid(2, k, x[h], c[h]));
            marginals.add(TrainingData.iid(2, f, marginalX[h], marginalC));
        }
        return new ChainTrainingSet(List.copyOf(steps), List.copyOf(marginals), n);
    }

    /**
     * Sets {@code frame} and {@code trend} from the window's history and writes the local path u_{-1}, u_0, u_1 ..
     * u_H into {@code local} (x, y interleaved).
     */
    static void localPath(TrajectoryWindow window, CanonicalFrame frame, HistoryFeatures features, float[] trend,
            double[] local) {
        localPath(window, SpeedScale.NONE, frame, features, trend, local);
    }

    /** As {@link #localPath(TrajectoryWindow, CanonicalFrame, HistoryFeatures, float[], double[])} in a scaled frame. */
    static void localPath(TrajectoryWindow window, SpeedScale speedScale, CanonicalFrame frame,
            HistoryFeatures features, float[] trend, double[] local) {
        float[] observed = window.observed();
        frame.set(observed, 0, observed.length / 2, speedScale);
        features.extract(observed, frame, trend, 0);
        int before = observed.length - 4;
        local[0] = frame.localX(observed[before], observed[before + 1]);
        local[1] = frame.localY(observed[before], observed[before + 1]);
        local[2] = 0;
        local[3] = 0;
        float[] future = window.future();
        for (int h = 0; h < future.length / 2; h++) {
            local[4 + 2 * h] = frame.localX(future[2 * h], future[2 * h + 1]);
            local[5 + 2 * h] = frame.localY(future[2 * h], future[2 * h + 1]);
        }
    }

    private static List<TrajectoryWindow> subsample(List<TrajectoryWindow> source, ChainLayout layout, int maxWindows,
            long seed) {
        List<TrajectoryWindow> usable = new ArrayList<>(source.size());
        for (TrajectoryWindow window : source) {
            if (window.observedSteps() == layout.observedSteps() && window.futureSteps() == layout.futureSteps()) {
                usable.add(window);
            }
        }
        if (usable.size() <= maxWindows) {
            return usable;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = usable.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            TrajectoryWindow tmp = usable.get(i);
            usable.set(i, usable.get(j));
            usable.set(j, tmp);
        }
        return new ArrayList<>(usable.subList(0, maxWindows));
    }

    public TrainingData step(int horizon) {
        return steps.get(horizon - 1);
    }

    /** Records of the marginal flow of a horizon: the residual to constant velocity given the trend alone. */
    public TrainingData marginal(int horizon) {
        return marginals.get(horizon - 1);
    }

    public int windows() {
        return windows;
    }
}
