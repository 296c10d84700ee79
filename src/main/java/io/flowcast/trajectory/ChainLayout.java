package io.flowcast.trajectory;

import java.util.ArrayList;
import java.util.List;

/**
 * How the chain's step n sees the world, in the agent's {@link CanonicalFrame} (local coordinates u, u_0 = 0 the
 * last observed position, u_{-1} the one before):
 *
 * <ul>
 *   <li>modelled value: the constant-velocity residual {@code delta_n = u_n - 2 u_{n-1} + u_{n-2}}. For fixed
 *       previous steps it is a shift of u_n, so p(u_n | ...) = p(delta_n | ...) exactly (unit Jacobian);</li>
 *   <li>context: the history's trend features ({@link HistoryFeatures}), the previous position u_{n-1} and the
 *       previous displacement u_{n-1} - u_{n-2}.</li>
 * </ul>
 *
 * So p(u_1..u_H | history) = prod_n p(u_n | u_{n-1}, u_{n-2}, history): each flow maps the previous step's state
 * to the next step's density, and the joint log-density is the exact sum of the steps' log-densities.
 *
 * <p>Beside the path chain, one marginal flow per horizon models p(u_n | history) directly, as the residual
 * {@link #marginalResidual} given the trend alone: the exact density of a position at any horizon (query points,
 * grids, NLL per horizon, the anomaly score) without integrating over sampled previous steps.
 */
public final class ChainLayout {

    private final HistoryFeatures features;
    private final int futureSteps;

    public ChainLayout(int observedSteps, int futureSteps, double dt) {
        if (futureSteps < 1) {
            throw new IllegalArgumentException("futureSteps must be >= 1");
        }
        this.features = new HistoryFeatures(observedSteps, dt);
        this.futureSteps = futureSteps;
    }

    public static ChainLayout standard() {
        return new ChainLayout(WindowSlicer.OBSERVED, WindowSlicer.FUTURE, EthUcyReader.DT);
    }

    public int observedSteps() {
        return features.observedSteps();
    }

    public int futureSteps() {
        return futureSteps;
    }

    public int featureWidth() {
        return features.width();
    }

    public int contextWidth() {
        return features.width() + 4;
    }

    public List<String> contextNames() {
        List<String> names = new ArrayList<>(features.names());
        names.addAll(List.of("prev.x", "prev.y", "prev.dx", "prev.dy"));
        return names;
    }

    /** A fresh feature extractor (not thread-safe: one per thread). */
    public HistoryFeatures newFeatures() {
        return new HistoryFeatures(features.observedSteps(), features.dt());
    }

    /**
     * The marginal flows' modelled value at horizon n: u_n - n (u_0 - u_{-1}) = u_n + n u_{-1}, the offset from
     * the constant-velocity position (a shift fixed by the history: unit Jacobian, p(u_n | h) = p(r_n | h)).
     */
    public static double marginalResidual(double position, double previousObserved, int horizon) {
        return position + horizon * previousObserved;
    }

    /** The inverse of {@link #marginalResidual}. */
    public static double marginalPosition(double residual, double previousObserved, int horizon) {
        return residual - horizon * previousObserved;
    }

    /** Writes a step's context: trend features, then previous position and previous displacement. */
    public static void writeContext(float[] trend, int trendOffset, int trendWidth, double prevX, double prevY,
            double prevPrevX, double prevPrevY, float[] out, int offset) {
        System.arraycopy(trend, trendOffset, out, offset, trendWidth);
        out[offset + trendWidth] = (float) prevX;
        out[offset + trendWidth + 1] = (float) prevY;
        out[offset + trendWidth + 2] = (float) (prevX - prevPrevX);
        out[offset + trendWidth + 3] = (float) (prevY - prevPrevY);
    }
}
