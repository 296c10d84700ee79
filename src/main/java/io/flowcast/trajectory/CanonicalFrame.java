package io.flowcast.trajectory;

/**
 * The agent's own frame at the forecast time: origin at the last observed position, x axis along the current
 * heading. Built from observed positions only, so it never sees the future. A rotation plus a shift has a unit
 * Jacobian: a density over local coordinates is the same number as the density over world coordinates.
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

    /** Frame of an observed history (x, y interleaved, oldest first). */
    public static CanonicalFrame of(float[] observed) {
        CanonicalFrame frame = new CanonicalFrame();
        frame.set(observed, 0, observed.length / 2);
        return frame;
    }

    /**
     * Sets the frame from {@code steps} positions starting at {@code offset}: heading of the last step when it moved
     * enough, else of the whole history, else the world axes.
     */
    public void set(float[] xy, int offset, int steps) {
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
        return cos * (x - originX) + sin * (y - originY);
    }

    public double localY(double x, double y) {
        return -sin * (x - originX) + cos * (y - originY);
    }

    public double worldX(double lx, double ly) {
        return originX + cos * lx - sin * ly;
    }

    public double worldY(double lx, double ly) {
        return originY + sin * lx + cos * ly;
    }

    public double originX() {
        return originX;
    }

    public double originY() {
        return originY;
    }
}
