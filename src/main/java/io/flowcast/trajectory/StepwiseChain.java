package io.flowcast.trajectory;

import java.util.List;

/** A chain as one {@link StepDensity} per flow: a runtime call per flow and step (the reference path). */
public final class StepwiseChain implements ChainBackend {

    private final List<StepDensity> steps;
    private final List<StepDensity> marginals;
    private final int featureWidth;

    /**
     * @param steps     the path flows, one per step (context width f + 4)
     * @param marginals the marginal flows, one per horizon (context width f), or an empty list
     */
    public StepwiseChain(ChainLayout layout, List<StepDensity> steps, List<StepDensity> marginals) {
        this.steps = List.copyOf(steps);
        this.marginals = List.copyOf(marginals);
        this.featureWidth = layout.featureWidth();
        if (this.steps.size() != layout.futureSteps()) {
            throw new IllegalArgumentException("need " + layout.futureSteps() + " step flows, got " + steps.size());
        }
        if (!this.marginals.isEmpty() && this.marginals.size() != layout.futureSteps()) {
            throw new IllegalArgumentException("need " + layout.futureSteps() + " marginal flows or none");
        }
        for (StepDensity step : this.steps) {
            if (step.contextDimension() != layout.contextWidth()) {
                throw new IllegalArgumentException("a step flow has context width " + step.contextDimension()
                        + ", the layout needs " + layout.contextWidth());
            }
        }
        for (StepDensity marginal : this.marginals) {
            if (marginal.contextDimension() != featureWidth) {
                throw new IllegalArgumentException("a marginal flow has context width " + marginal.contextDimension()
                        + ", the layout needs " + featureWidth);
            }
        }
    }

    @Override
    public int horizons() {
        return steps.size();
    }

    @Override
    public int featureWidth() {
        return featureWidth;
    }

    @Override
    public void sample(float[] trend, float[] start, float[] noise, int rows, float[] positions, float[] stepLog) {
        int horizons = horizons();
        int f = featureWidth;
        int k = f + 4;
        float[] context = new float[rows * k];
        float[] z = new float[2 * rows];
        float[] logProb = new float[rows];
        for (int h = 0; h < horizons; h++) { // u_{h+1} from u_h and u_{h-1}
            for (int row = 0; row < rows; row++) {
                float prevX = position(start, positions, row, h, 0);
                float prevY = position(start, positions, row, h, 1);
                ChainLayout.writeContext(trend, row * f, f, prevX, prevY, position(start, positions, row, h - 1, 0),
                        position(start, positions, row, h - 1, 1), context, row * k);
                z[2 * row] = noise[row * 2 * horizons + 2 * h];
                z[2 * row + 1] = noise[row * 2 * horizons + 2 * h + 1];
            }
            StepDensity step = steps.get(h);
            float[] delta = step.decode(z, context, rows);
            step.logProb(delta, context, rows, logProb);
            for (int row = 0; row < rows; row++) {
                int out = row * 2 * horizons + 2 * h;
                positions[out] = delta[2 * row] + 2 * position(start, positions, row, h, 0)
                        - position(start, positions, row, h - 1, 0);
                positions[out + 1] = delta[2 * row + 1] + 2 * position(start, positions, row, h, 1)
                        - position(start, positions, row, h - 1, 1);
                stepLog[row * horizons + h] = logProb[row];
            }
        }
    }

    /** u_step of a row (step -1 and 0 from {@code start}), coordinate 0 = x, 1 = y. */
    private float position(float[] start, float[] positions, int row, int step, int coordinate) {
        return step < 1 ? start[row * 4 + 2 * (step + 1) + coordinate]
                : positions[row * 2 * horizons() + 2 * (step - 1) + coordinate];
    }

    @Override
    public float[] pathLogProb(float[] trend, float[] delta, float[] motion, int rows) {
        int horizons = horizons();
        int f = featureWidth;
        int k = f + 4;
        float[] x = new float[2 * rows];
        float[] context = new float[rows * k];
        float[] logProb = new float[rows];
        float[] out = new float[rows * horizons];
        for (int h = 0; h < horizons; h++) {
            for (int row = 0; row < rows; row++) {
                x[2 * row] = delta[row * 2 * horizons + 2 * h];
                x[2 * row + 1] = delta[row * 2 * horizons + 2 * h + 1];
                System.arraycopy(trend, row * f, context, row * k, f);
                System.arraycopy(motion, row * 4 * horizons + 4 * h, context, row * k + f, 4);
            }
            steps.get(h).logProb(x, context, rows, logProb);
            for (int row = 0; row < rows; row++) {
                out[row * horizons + h] = logProb[row];
            }
        }
        return out;
    }

    @Override
    public boolean hasMarginals() {
        return !marginals.isEmpty();
    }

    @Override
    public float[] marginalLogProb(float[] trend, float[] residual, int rows) {
        int horizons = horizons();
        float[] single = new float[2 * rows];
        float[] out = new float[rows * horizons];
        for (int h = 1; h <= horizons; h++) {
            for (int row = 0; row < rows; row++) {
                single[2 * row] = residual[row * 2 * horizons + 2 * (h - 1)];
                single[2 * row + 1] = residual[row * 2 * horizons + 2 * (h - 1) + 1];
            }
            float[] logProb = marginalLogProb(h, trend, single, rows);
            for (int row = 0; row < rows; row++) {
                out[row * horizons + h - 1] = logProb[row];
            }
        }
        return out;
    }

    @Override
    public float[] marginalLogProb(int horizon, float[] trend, float[] residual, int rows) {
        if (marginals.isEmpty()) {
            throw new IllegalStateException("this chain has no marginal flows");
        }
        float[] out = new float[rows];
        marginals.get(horizon - 1).logProb(residual, trend, rows, out);
        return out;
    }

    @Override
    public float[] stepLogProb(int horizon, float[] delta, float[] context, int rows) {
        float[] out = new float[rows];
        steps.get(horizon - 1).logProb(delta, context, rows, out);
        return out;
    }

    @Override
    public void close() {
        steps.forEach(StepDensity::close);
        marginals.forEach(StepDensity::close);
    }
}
