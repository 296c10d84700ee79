package io.flowcast.topology;

/**
 * An agent's track as forecasting needs it: its last positions (oldest first, x, y interleaved) and the Gaussian
 * summary of the forecast made at its previous position, against which the next position is scored.
 *
 * @param forecastTime  event time the previous forecast started from; {@link Long#MIN_VALUE} when there is none
 * @param stepMillis    the previous forecast's step
 * @param means         per horizon of the previous forecast: mean x, y (empty when there is none)
 * @param covariances   per horizon: covariance xx, xy, yy
 * @param stored        the weighted samples a rapid update re-weights (null when the forecast is not re-weightable,
 *                      e.g. the constant-velocity model's, or in a state written before rapid updates existed)
 */
record TrackState(float[] positions, long lastEventTime, long forecastTime, long stepMillis, double[] means,
        double[] covariances, StoredForecast stored) {

    static final TrackState EMPTY = new TrackState(new float[0], Long.MIN_VALUE, Long.MIN_VALUE, 0, new double[0],
            new double[0]);

    /** A track without stored samples. */
    TrackState(float[] positions, long lastEventTime, long forecastTime, long stepMillis, double[] means,
            double[] covariances) {
        this(positions, lastEventTime, forecastTime, stepMillis, means, covariances, null);
    }

    int steps() {
        return positions.length / 2;
    }

    /** The track after a new position, keeping at most {@code capacity} positions; the previous forecast stays. */
    TrackState append(double x, double y, long eventTime, int capacity) {
        int kept = Math.min(steps(), capacity - 1);
        float[] next = new float[2 * (kept + 1)];
        System.arraycopy(positions, positions.length - 2 * kept, next, 0, 2 * kept);
        next[2 * kept] = (float) x;
        next[2 * kept + 1] = (float) y;
        return new TrackState(next, eventTime, forecastTime, stepMillis, means, covariances, stored);
    }

    /** The published forecast's Gaussian summary and the samples to re-weight next (null: none). */
    TrackState withForecast(long time, long step, double[] forecastMeans, double[] forecastCovariances,
            StoredForecast samples) {
        return new TrackState(positions, lastEventTime, time, step, forecastMeans, forecastCovariances, samples);
    }

    TrackState withStored(StoredForecast samples) {
        return new TrackState(positions, lastEventTime, forecastTime, stepMillis, means, covariances, samples);
    }

    /**
     * log-density (per square metre) of (x, y) at {@code eventTime} under the previous forecast's Gaussian at the
     * horizon nearest to the time elapsed since it; NaN when there is no forecast or it does not reach that far.
     */
    double logDensity(double x, double y, long eventTime) {
        int horizons = means.length / 2;
        if (forecastTime == Long.MIN_VALUE || horizons == 0 || stepMillis <= 0) {
            return Double.NaN;
        }
        long h = Math.round((eventTime - forecastTime) / (double) stepMillis);
        if (h < 1 || h > horizons) {
            return Double.NaN;
        }
        int i = (int) h - 1;
        double sxx = covariances[3 * i];
        double sxy = covariances[3 * i + 1];
        double syy = covariances[3 * i + 2];
        double det = sxx * syy - sxy * sxy;
        if (!(det > 0)) {
            return Double.NaN;
        }
        double dx = x - means[2 * i];
        double dy = y - means[2 * i + 1];
        double quadratic = (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
        return -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * quadratic;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrackState o && java.util.Arrays.equals(positions, o.positions)
                && lastEventTime == o.lastEventTime && forecastTime == o.forecastTime && stepMillis == o.stepMillis
                && java.util.Arrays.equals(means, o.means) && java.util.Arrays.equals(covariances, o.covariances)
                && java.util.Objects.equals(stored, o.stored);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(java.util.Arrays.hashCode(positions), lastEventTime, forecastTime, stored);
    }
}
