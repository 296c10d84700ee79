package io.flowcast.topology;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.trajectory.WeightedPaths;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the rapid update of an agent's forecast needs between model runs, kept in its {@link TrackState}: the model
 * version whose samples these are, when it ran and from which history, the positions observed since (for the exact
 * score when the model runs again), and the weighted sample set itself.
 *
 * @param modelTime event time of the position the model's forecast started from
 * @param history   the {@code observedSteps} positions the model forecast from (x, y interleaved, oldest first)
 * @param since     per path step the position observed at it (2 per step; NaN where none arrived)
 */
record StoredForecast(ModelRef model, long modelTime, float[] history, float[] since, WeightedPaths paths) {

    StoredForecast {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(paths, "paths");
        if (since.length != 2 * paths.horizons()) {
            throw new IllegalArgumentException("need one observed slot per path step");
        }
    }

    /** Right after a model run: nothing observed since. */
    static StoredForecast fresh(ModelRef model, long modelTime, float[] history, WeightedPaths paths) {
        float[] since = new float[2 * paths.horizons()];
        Arrays.fill(since, Float.NaN);
        return new StoredForecast(model, modelTime, history.clone(), since, paths);
    }

    /** After the position (x, y) at path step {@code step} re-weighted the samples into {@code next}. */
    StoredForecast observed(int step, double x, double y, WeightedPaths next) {
        float[] updated = since.clone();
        updated[2 * (step - 1)] = (float) x;
        updated[2 * (step - 1) + 1] = (float) y;
        return new StoredForecast(model, modelTime, history, updated, next);
    }

    /** The positions of steps 1..step when every one of them arrived (what the exact score needs), else null. */
    float[] consecutiveUpTo(int step) {
        if (step < 1 || step > paths().horizons()) {
            return null;
        }
        for (int i = 0; i < 2 * step; i++) {
            if (Float.isNaN(since[i])) {
                return null;
            }
        }
        return Arrays.copyOf(since, 2 * step);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredForecast o && model.equals(o.model) && modelTime == o.modelTime
                && Arrays.equals(history, o.history) && Arrays.equals(since, o.since) && paths.equals(o.paths);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, modelTime, Arrays.hashCode(history), paths);
    }
}
