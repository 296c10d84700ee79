package io.flowcast.retrain;

import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.flow.ConditionalDensity;

/** Scores validation records with a model and its calibration: mean NLL and tail-probability calibration error. */
public final class ModelEvaluator {

    /** The alpha levels at which calibration is checked (alarm thresholds live at the low end). */
    static final double[] ALPHAS = {0.01, 0.05, 0.1, 0.25, 0.5};

    private ModelEvaluator() {
    }

    public static Evaluation evaluate(ConditionalDensity density, HeldOutCalibration calibration, float[] x,
            float[] c, int rows) {
        if (rows == 0) {
            throw new IllegalArgumentException("no validation records");
        }
        float[] logProbs = density.logProb(x, c, rows);
        double sum = 0;
        boolean finite = true;
        int[] atMost = new int[ALPHAS.length];
        for (int i = 0; i < rows; i++) {
            double logProb = logProbs[i];
            if (!Double.isFinite(logProb)) {
                finite = false;
                continue;
            }
            sum -= logProb;
            double tail = calibration.tailProbability(-logProb);
            for (int a = 0; a < ALPHAS.length; a++) {
                if (tail <= ALPHAS[a]) {
                    atMost[a]++;
                }
            }
        }
        double error = 0;
        for (int a = 0; a < ALPHAS.length; a++) {
            error = Math.max(error, Math.abs((double) atMost[a] / rows - ALPHAS[a]));
        }
        return new Evaluation(finite ? sum / rows : Double.POSITIVE_INFINITY, error, rows, finite);
    }
}
