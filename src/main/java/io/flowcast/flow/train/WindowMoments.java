package io.flowcast.flow.train;

/**
 * Moments of the training windows on standardised features, averaged over the features: a method-of-moments
 * starting point for the dependence parameters (the flow starts close to the identity after the scaler, so the
 * codes' dependence starts close to the features'). Gradients refine from there; starting at the truth's
 * neighbourhood spares the many Adam steps a parameter needs to travel from 0.
 *
 * @param lag1Correlation       mean product of consecutive standardised values within windows (AR(1) rho)
 * @param meanGapSeconds        mean gap between consecutive records within windows (NaN without timestamps)
 * @param intraclassCorrelation mean product of distinct pairs within windows (compound symmetry a)
 */
public record WindowMoments(double lag1Correlation, double meanGapSeconds, double intraclassCorrelation) {

    /** No information: every objective keeps its default start. */
    public static final WindowMoments NONE = new WindowMoments(Double.NaN, Double.NaN, Double.NaN);

    static WindowMoments of(TrainingData data, WindowIndex index, int[] windows) {
        if (!data.isWindowed() || windows.length == 0) {
            return NONE;
        }
        int d = data.dimension();
        double[][] moments = data.columnMoments(index.rowsOf(windows), false);
        double lagProducts = 0;
        long lagPairs = 0;
        double gaps = 0;
        double pairProducts = 0;
        long pairs = 0;
        for (int w : windows) {
            int[] rows = index.rowsOf(new int[] {w});
            int m = rows.length;
            double[] sums = new double[d];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < d; j++) {
                    double value = standardised(data, rows[i], j, moments);
                    sums[j] += value;
                    pairProducts -= value * value;
                    if (i > 0) {
                        lagProducts += value * standardised(data, rows[i - 1], j, moments);
                    }
                }
                if (i > 0) {
                    gaps += (data.timestamp(rows[i]) - data.timestamp(rows[i - 1])) / 1000.0;
                }
            }
            for (double s : sums) {
                pairProducts += s * s;
            }
            lagPairs += (long) (m - 1) * d;
            pairs += (long) m * (m - 1) * d;
        }
        double lag = lagPairs == 0 ? Double.NaN : lagProducts / lagPairs;
        double gap = lagPairs == 0 ? Double.NaN : gaps * d / lagPairs;
        double icc = pairs == 0 ? Double.NaN : pairProducts / pairs;
        return new WindowMoments(lag, gap, icc);
    }

    private static double standardised(TrainingData data, int row, int column, double[][] moments) {
        double std = moments[1][column];
        return std > 0 ? (data.x(row, column) - moments[0][column]) / std : 0;
    }
}
