package io.flowcast.anomaly.nab;

/**
 * NAB's scaled sigmoid {@code sigma(y) = 2 / (1 + e^(5y)) - 1}, set to -1 from y = 3 on ({@code nab/sweeper.py}).
 * y = -1 is the first record of a window (sigma = 0.98661), y = 0 its right edge (sigma = 0), y > 0 lies past it.
 */
final class ScaledSigmoid {

    /** sigma(-1): dividing by it makes a detection on a window's first record worth exactly A_TP. */
    static final double AT_WINDOW_START = value(-1.0);

    private ScaledSigmoid() {
    }

    static double value(double relativePosition) {
        if (relativePosition >= 3.0) {
            return -1.0;
        }
        return 2.0 * (1.0 / (1.0 + Math.exp(5.0 * relativePosition))) - 1.0;
    }
}
