package io.flowcast.trajectory;

import io.flowcast.anomaly.ModelRef;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link PathForecaster} whose model can be replaced while the topology runs (e.g. a chain trained in the
 * background replacing the constant-velocity prior). Callers that need one model for a whole round take
 * {@link #current()} once; each forecast names the model that made it. The replaced model is closed if it is
 * {@link AutoCloseable}, after a grace period in which calls already in flight finish.
 */
public final class SwappableForecaster implements PathForecaster {

    private final AtomicReference<PathForecaster> delegate;
    private final long graceMillis;

    public SwappableForecaster(PathForecaster initial, long graceMillis) {
        this.delegate = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
        this.graceMillis = graceMillis;
    }

    /** Serves {@code next} from now on; its history length, horizons and step must match the current model's. */
    public void swap(PathForecaster next) {
        PathForecaster previous = delegate.get();
        if (next.observedSteps() != previous.observedSteps() || next.horizons() != previous.horizons()
                || next.stepSeconds() != previous.stepSeconds()) {
            throw new IllegalArgumentException("the new model's shape (" + next.observedSteps() + " observed, "
                    + next.horizons() + " horizons, " + next.stepSeconds() + " s) differs from the served one");
        }
        previous = delegate.getAndSet(next);
        if (previous instanceof AutoCloseable closeable && previous != next) {
            Thread closer = new Thread(() -> {
                try {
                    Thread.sleep(graceMillis);
                    closeable.close();
                } catch (Exception e) {
                    // Closing releases native memory; nothing to recover.
                }
            }, "flowcast-forecaster-close");
            closer.setDaemon(true);
            closer.start();
        }
    }

    @Override
    public PathForecaster current() {
        return delegate.get();
    }

    @Override
    public ModelRef model() {
        return current().model();
    }

    @Override
    public int observedSteps() {
        return current().observedSteps();
    }

    @Override
    public int horizons() {
        return current().horizons();
    }

    @Override
    public double stepSeconds() {
        return current().stepSeconds();
    }

    @Override
    public boolean reweightable() {
        return current().reweightable();
    }

    @Override
    public List<PathForecast> forecast(List<float[]> histories, long[] seeds, int samples) {
        return current().forecast(histories, seeds, samples);
    }

    @Override
    public double[] nextLogDensities(List<float[]> histories, List<float[]> since) {
        return current().nextLogDensities(histories, since);
    }
}
