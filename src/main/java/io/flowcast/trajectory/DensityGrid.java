package io.flowcast.trajectory;

/**
 * One agent's forecast density on a square grid per horizon (for the dashboard), in world metres: horizon n's grid
 * has {@code cells x cells} cell centres over the square of half-width {@code halfWidth[n-1]} around
 * ({@code centreX[n-1]}, {@code centreY[n-1]}).
 *
 * @param logDensity [H * cells * cells]: horizon-major, then y rows, then x columns; exact log p(position | history)
 *                   at each cell centre
 */
public record DensityGrid(int horizons, int cells, float[] centreX, float[] centreY, float[] halfWidth,
        float[] logDensity) {

    public DensityGrid {
        if (cells < 1 || centreX.length != horizons || centreY.length != horizons || halfWidth.length != horizons
                || logDensity.length != horizons * cells * cells) {
            throw new IllegalArgumentException("grid arrays do not match " + horizons + " horizons of " + cells
                    + " x " + cells + " cells");
        }
    }

    /** The cell centre's world x of column {@code ix} at a horizon (1-based). */
    public double x(int horizon, int ix) {
        return centreX[horizon - 1] + cellOffset(horizon, ix);
    }

    /** The cell centre's world y of row {@code iy} at a horizon (1-based). */
    public double y(int horizon, int iy) {
        return centreY[horizon - 1] + cellOffset(horizon, iy);
    }

    /** The cell's side in metres at a horizon (1-based). */
    public double cellSize(int horizon) {
        return 2.0 * halfWidth[horizon - 1] / cells;
    }

    public float logDensity(int horizon, int ix, int iy) {
        return logDensity[((horizon - 1) * cells + iy) * cells + ix];
    }

    private double cellOffset(int horizon, int index) {
        return -halfWidth[horizon - 1] + (index + 0.5) * cellSize(horizon);
    }
}
