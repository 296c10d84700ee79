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
 *
 * <p>The local unit: metres, or with a {@link SpeedScale} the agent's own speed-relative unit (the frame carries
 * the scale and every density the forecaster returns is corrected to metres). The setting is part of the model:
 * {@link ChainGraphs} writes it into the graphs' metadata ({@link #metadata}) and {@link #fromMetadata} reads it
 * back, so a server builds the layout from the model it loads rather than assuming one.
 */
public final class ChainLayout {

    private final HistoryFeatures features;
    private final int futureSteps;
    private final SpeedScale speedScale;

    public ChainLayout(int observedSteps, int futureSteps, double dt) {
        this(observedSteps, futureSteps, dt, SpeedScale.NONE);
    }

    public ChainLayout(int observedSteps, int futureSteps, double dt, SpeedScale speedScale) {
        if (futureSteps < 1) {
            throw new IllegalArgumentException("futureSteps must be >= 1");
        }
        this.features = new HistoryFeatures(observedSteps, dt);
        this.futureSteps = futureSteps;
        this.speedScale = java.util.Objects.requireNonNull(speedScale, "speedScale");
    }

    /** The same layout with another local unit. */
    public ChainLayout withSpeedScale(SpeedScale scale) {
        return new ChainLayout(observedSteps(), futureSteps, features.dt(), scale);
    }

    public SpeedScale speedScale() {
        return speedScale;
    }

    public double dt() {
        return features.dt();
    }

    /** The agent's frame of an observed history under this layout's local unit. */
    public CanonicalFrame frameOf(float[] observed) {
        return CanonicalFrame.of(observed, speedScale);
    }

    /** Sets a reused frame from an observed history under this layout's local unit. */
    public void setFrame(CanonicalFrame frame, float[] observed) {
        frame.set(observed, 0, observed.length / 2, speedScale);
    }

    static final String META_OBSERVED = "flowcast.chain.observed_steps";
    static final String META_HORIZONS = "flowcast.chain.horizons";
    static final String META_DT = "flowcast.chain.dt";
    static final String META_SPEED_REFERENCE = "flowcast.chain.speed_reference_step";
    static final String META_SPEED_MIN_SCALE = "flowcast.chain.speed_min_scale";

    /** The layout as model metadata entries (what {@link #fromMetadata} reads). */
    public java.util.Map<String, String> metadata() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(META_OBSERVED, Integer.toString(observedSteps()));
        m.put(META_HORIZONS, Integer.toString(futureSteps));
        m.put(META_DT, Double.toString(features.dt()));
        m.put(META_SPEED_REFERENCE, Double.toString(speedScale.referenceStep()));
        m.put(META_SPEED_MIN_SCALE, Double.toString(speedScale.minScale()));
        return m;
    }

    /**
     * The layout a model was trained with, from its metadata; keys a model written before they existed lacks fall
     * back to {@link #standard()}'s values (no speed scale).
     *
     * @throws IllegalArgumentException when a present value is unreadable
     */
    public static ChainLayout fromMetadata(java.util.Map<String, String> metadata) {
        ChainLayout standard = standard();
        try {
            int observed = Integer.parseInt(metadata.getOrDefault(META_OBSERVED,
                    Integer.toString(standard.observedSteps())));
            int horizons = Integer.parseInt(metadata.getOrDefault(META_HORIZONS,
                    Integer.toString(standard.futureSteps())));
            double dt = Double.parseDouble(metadata.getOrDefault(META_DT, Double.toString(standard.dt())));
            double reference = Double.parseDouble(metadata.getOrDefault(META_SPEED_REFERENCE, "0"));
            double minScale = Double.parseDouble(metadata.getOrDefault(META_SPEED_MIN_SCALE, "1"));
            return new ChainLayout(observed, horizons, dt, new SpeedScale(reference, minScale));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unreadable chain layout metadata: " + e.getMessage(), e);
        }
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

    @Override
    public String toString() {
        return "ChainLayout[observed=" + observedSteps() + ", future=" + futureSteps + ", dt=" + features.dt()
                + ", " + speedScale + "]";
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
