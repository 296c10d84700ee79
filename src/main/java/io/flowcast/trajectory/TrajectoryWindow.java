package io.flowcast.trajectory;

import java.util.Objects;

/**
 * A fixed-length cut of a track: the observed history and the future to forecast, in world metres.
 *
 * @param source   the recording
 * @param agentId  the pedestrian id within the recording
 * @param time     time index of the last observed position (the forecast's "now")
 * @param observed the observed positions, oldest first, interleaved x, y
 * @param future   the future positions, one step ahead first, interleaved x, y
 */
public record TrajectoryWindow(String source, int agentId, int time, float[] observed, float[] future) {

    public TrajectoryWindow {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(future, "future");
        if (observed.length < 4 || observed.length % 2 != 0 || future.length % 2 != 0) {
            throw new IllegalArgumentException("need at least two observed positions and whole (x, y) pairs");
        }
    }

    public int observedSteps() {
        return observed.length / 2;
    }

    public int futureSteps() {
        return future.length / 2;
    }

    /** The same window with every coordinate multiplied by {@code factor} (the ETH 0.6 convention). */
    public TrajectoryWindow scaled(float factor) {
        float[] o = observed.clone();
        float[] f = future.clone();
        for (int i = 0; i < o.length; i++) {
            o[i] *= factor;
        }
        for (int i = 0; i < f.length; i++) {
            f[i] *= factor;
        }
        return new TrajectoryWindow(source, agentId, time, o, f);
    }

    /** The same window mirrored across the world x axis (y negated): the walk with left and right swapped. */
    public TrajectoryWindow mirrored() {
        float[] o = observed.clone();
        float[] f = future.clone();
        for (int i = 1; i < o.length; i += 2) {
            o[i] = -o[i];
        }
        for (int i = 1; i < f.length; i += 2) {
            f[i] = -f[i];
        }
        return new TrajectoryWindow(source, agentId, time, o, f);
    }
}
