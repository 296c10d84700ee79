package io.flowcast.trajectory;

/**
 * The agent's own frame at the forecast time: origin at the last observed position, x axis along the current
 * heading. Built from observed positions only, so it never sees the future. A rotation plus a shift has a unit
 * Jacobian: a density over local coordinates is the same number as the density over world coordinates. With a
 * {@link SpeedScale} the local unit is {@link #scale()} metres instead: world density = local density / scale^2
 * (add {@link #logDensityOffset()} to a local log-density).
 *
 * <p>Mutable and reused ({@link #set}) so the forecasting hot path allocates nothing.
 */
public final class CanonicalFrame {

    /** Below this displacement (metres per step) a heading is too noisy to use. */
    static final double MIN_HEADING_STEP = 0.02;

    private double originX;
    private double originY;
    private double cos = 1;
    private double sin;
    private double scale = 1;
    private double logScale;

    /** Frame of an observed history (x, y interleaved, oldest first). */
    public static CanonicalFrame of(float[] observed) {
        CanonicalFrame frame = new CanonicalFrame();
        frame.set(observed, 0, observed.length / 2);
        return frame;
    }

    /** Frame of an observed history with its local unit set by {@code speedScale}. */
    public static CanonicalFrame of(float[] observed, SpeedScale speedScale) {
        CanonicalFrame frame = new CanonicalFrame();
        frame.set(observed, 0, observed.length / 2, speedScale);
        return frame;
    }

    /**
     * Sets the frame from {@code steps} positions starting at {@code offset}: heading of the last step when it moved
     * enough, else of the whole history, else the world axes.
     */
    public void set(float[] xy, int offset, int steps) {
        set(xy, offset, steps, SpeedScale.NONE);
    }

    /** As {@link #set(float[], int, int)} with the local unit given by {@code speedScale} from the same history. */
    public void set(float[] xy, int offset, int steps, SpeedScale speedScale) {
        scale = speedScale.scaleOf(xy, offset, steps);
        logScale = Math.log(scale);
        int last = offset + 2 * (steps - 1);
        originX = xy[last];
        originY = xy[last + 1];
        double hx = originX - xy[last - 2];
        double hy = originY - xy[last - 1];
        double norm = Math.hypot(hx, hy);
        if (!(norm >= MIN_HEADING_STEP)) {
            hx = originX - xy[offset];
            hy = originY - xy[offset + 1];
            norm = Math.hypot(hx, hy);
        }
        if (norm >= MIN_HEADING_STEP && Double.isFinite(norm)) {
            cos = hx / norm;
            sin = hy / norm;
        } else {
            cos = 1;
            sin = 0;
        }
    }

    public double localX(double x, double y) {
        return (cos * (x - originX) + sin * (y - originY)) / scale;
    }

    public double localY(double x, double y) {
        return (-sin * (x - originX) + cos * (y - originY)) / scale;
    }

    public double worldX(double lx, double ly) {
        return originX + scale * (cos * lx - sin * ly);
    }

    public double worldY(double lx, double ly) {
        return originY + scale * (sin * lx + cos * ly);
    }

    /** Metres per local unit (1 without a {@link SpeedScale}). */
    public double scale() {
        return scale;
    }

    /** ln of {@link #scale()}. */
    public double logScale() {
        return logScale;
    }

    /** What turns a log-density of one local 2-D position into one over metres: -2 ln scale (0 when unscaled). */
    public double logDensityOffset() {
        return -2 * logScale;
    }

    public double originX() {
        return originX;
    }

    public double originY() {
        return originY;
    }
}
