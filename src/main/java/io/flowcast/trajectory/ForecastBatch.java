package io.flowcast.trajectory;

/**
 * What {@link FlowChainForecaster#forecast} computed for a batch of agents, kept in the agents' local frames so
 * that density queries can reuse the sampled previous steps. Rows: per agent, N samples then one zero-code row.
 */
public final class ForecastBatch {

    final int agents;
    final int samples;
    final int horizons;
    final int featureWidth;
    final float[] trend;
    final CanonicalFrame[] frames;
    /** Per row: u_{-1}, u_0, u_1 .. u_H in the local frame, x, y interleaved: 2 (H + 2) values. */
    final float[] local;
    /** Per row and step: the exact conditional log-density of the step. */
    final float[] stepLog;

    ForecastBatch(int agents, int samples, int horizons, int featureWidth, float[] trend, CanonicalFrame[] frames,
            float[] local, float[] stepLog) {
        this.agents = agents;
        this.samples = samples;
        this.horizons = horizons;
        this.featureWidth = featureWidth;
        this.trend = trend;
        this.frames = frames;
        this.local = local;
        this.stepLog = stepLog;
    }

    public int agents() {
        return agents;
    }

    int rowsPerAgent() {
        return samples + 1;
    }

    int stride() {
        return 2 * (horizons + 2);
    }

    /** The forecast of one agent, in world coordinates. */
    public TrajectoryForecast forecast(int agent) {
        int perAgent = rowsPerAgent();
        CanonicalFrame frame = frames[agent];
        float[] paths = new float[samples * 2 * horizons];
        float[] steps = new float[samples * horizons];
        float[] joint = new float[samples];
        int best = -1;
        double bestLog = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < perAgent; r++) {
            int row = agent * perAgent + r;
            double sum = 0;
            for (int h = 0; h < horizons; h++) {
                sum += stepLog[row * horizons + h];
            }
            if (r < samples) {
                System.arraycopy(stepLog, row * horizons, steps, r * horizons, horizons);
                joint[r] = (float) sum;
                toWorld(frame, row, paths, r * 2 * horizons);
            }
            if (sum > bestLog || best < 0) {
                bestLog = sum;
                best = row;
            }
        }
        float[] mostLikely = new float[2 * horizons];
        toWorld(frame, best, mostLikely, 0);
        return new TrajectoryForecast(samples, horizons, paths, steps, joint, mostLikely, bestLog);
    }

    private void toWorld(CanonicalFrame frame, int row, float[] out, int offset) {
        int base = row * stride() + 4;
        for (int h = 0; h < horizons; h++) {
            double lx = local[base + 2 * h];
            double ly = local[base + 2 * h + 1];
            out[offset + 2 * h] = (float) frame.worldX(lx, ly);
            out[offset + 2 * h + 1] = (float) frame.worldY(lx, ly);
        }
    }
}
