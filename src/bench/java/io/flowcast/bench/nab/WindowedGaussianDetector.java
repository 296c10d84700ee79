package io.flowcast.bench.nab;

/**
 * NAB's windowed Gaussian baseline ({@code nab/detectors/gaussian}): the score of a value is 1 minus its two-sided
 * tail probability under a normal fitted to up to 6400 previous values; once the window is full it slides forward
 * 100 records at a time. A sanity check for the harness: NAB lists it at 39.6 (standard, full corpus).
 */
public final class WindowedGaussianDetector implements StreamingDetector {

    private static final int WINDOW = 6400;
    private static final int STEP = 100;

    private final double[] window = new double[WINDOW];
    private final double[] step = new double[STEP];
    private int windowSize;
    private int stepSize;
    private double mean = 0.0;
    private double std = 1.0;

    @Override
    public double score(long timestampMillis, double value) {
        double score = windowSize > 0 ? 1.0 - GaussianTail.upper(Math.abs(value - mean) / std) : 0.0;
        if (windowSize < WINDOW) {
            window[windowSize++] = value;
            refit();
        } else {
            step[stepSize++] = value;
            if (stepSize == STEP) {
                System.arraycopy(window, STEP, window, 0, WINDOW - STEP);
                System.arraycopy(step, 0, window, WINDOW - STEP, STEP);
                stepSize = 0;
                refit();
            }
        }
        return score;
    }

    /** Mean and population standard deviation of the window, recomputed in two passes as numpy does. */
    private void refit() {
        double sum = 0.0;
        for (int i = 0; i < windowSize; i++) {
            sum += window[i];
        }
        mean = sum / windowSize;
        double squares = 0.0;
        for (int i = 0; i < windowSize; i++) {
            double d = window[i] - mean;
            squares += d * d;
        }
        std = Math.sqrt(squares / windowSize);
        if (std == 0.0) {
            std = 0.000001;
        }
    }
}
