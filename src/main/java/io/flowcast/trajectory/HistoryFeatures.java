package io.flowcast.trajectory;

/**
 * The motion-trend features of an observed history, in the agent's {@link CanonicalFrame}: positions relative to
 * the last observed one (the last is the origin, so it is left out), velocities and accelerations by
 * {@link BackwardDifferences}. For 8 observed steps: 14 + 14 + 12 = 40 values. Reuses its buffers: one instance per
 * thread, no allocation per call.
 */
public final class HistoryFeatures {

    private final int steps;
    private final double dt;
    private final float[] local;

    public HistoryFeatures(int observedSteps, double dt) {
        if (observedSteps < 3) {
            throw new IllegalArgumentException("need at least 3 observed steps for accelerations");
        }
        this.steps = observedSteps;
        this.dt = dt;
        this.local = new float[2 * observedSteps];
    }

    public int observedSteps() {
        return steps;
    }

    public double dt() {
        return dt;
    }

    public int width() {
        return 2 * (steps - 1) + 2 * (steps - 1) + 2 * (steps - 2);
    }

    /** Column names, matching {@link #extract}'s layout. */
    public java.util.List<String> names() {
        java.util.List<String> names = new java.util.ArrayList<>(width());
        for (String kind : new String[] {"pos", "vel", "acc"}) {
            int from = kind.equals("pos") ? 0 : kind.equals("vel") ? 1 : 2;
            int to = kind.equals("pos") ? steps - 1 : steps;
            for (int t = from; t < to; t++) {
                int lag = steps - 1 - t;
                names.add(kind + ".x.t-" + lag);
                names.add(kind + ".y.t-" + lag);
            }
        }
        return names;
    }

    /**
     * Writes the features of {@code observed} (x, y interleaved, oldest first, {@code observedSteps} positions) into
     * {@code out[offset ..]}, in {@code frame}, which must already be set from the same history.
     */
    public void extract(float[] observed, CanonicalFrame frame, float[] out, int offset) {
        if (observed.length != 2 * steps) {
            throw new IllegalArgumentException("expected " + steps + " observed positions, got " + observed.length / 2);
        }
        for (int t = 0; t < steps; t++) {
            local[2 * t] = (float) frame.localX(observed[2 * t], observed[2 * t + 1]);
            local[2 * t + 1] = (float) frame.localY(observed[2 * t], observed[2 * t + 1]);
        }
        System.arraycopy(local, 0, out, offset, 2 * (steps - 1));
        int at = offset + 2 * (steps - 1);
        BackwardDifferences.velocities(local, steps, dt, out, at);
        at += 2 * (steps - 1);
        BackwardDifferences.accelerations(local, steps, dt, out, at);
    }
}
