package io.flowcast.serving;

import io.flowcast.flow.InnovationDensity;
import io.flowcast.flow.LatentDependence;

/**
 * An ONNX-served flow with the latent dependence it was trained with, so a record can be scored by its innovation
 * given its entity's state; the marginal reading (logProb, sample) is the session's.
 */
public final class DependentOnnxFlow implements InnovationDensity, ServedOn, AutoCloseable {

    private final OnnxFlowSession session;
    private final LatentDependence dependence;

    public DependentOnnxFlow(OnnxFlowSession session, LatentDependence dependence) {
        this.session = session;
        this.dependence = dependence;
    }

    /** The provider its session runs on (what the metrics and the API report). */
    @Override
    public ExecutionProvider providerInUse() {
        return session.providerInUse();
    }

    public OnnxFlowSession session() {
        return session;
    }

    @Override
    public LatentDependence dependence() {
        return dependence;
    }

    @Override
    public float[] codes(float[] x, float[] c, int batch) {
        return session.codes(x, c, batch);
    }

    @Override
    public int dimension() {
        return session.dimension();
    }

    @Override
    public int contextDimension() {
        return session.contextDimension();
    }

    @Override
    public float[] logProb(float[] x, float[] c, int batch) {
        return session.logProb(x, c, batch);
    }

    @Override
    public float[] sample(float[] c, int batch, int n, long seed) {
        return session.sample(c, batch, n, seed);
    }

    @Override
    public java.util.Optional<float[]> exactMedians(float[] c, int batch) {
        return session.exactMedians(c, batch);
    }

    @Override
    public void close() {
        session.close();
    }
}
