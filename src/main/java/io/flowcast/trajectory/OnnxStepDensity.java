package io.flowcast.trajectory;

import ai.onnxruntime.OrtException;
import io.flowcast.flow.BaseKind;
import io.flowcast.flow.onnx.FlowArtifact;
import io.flowcast.serving.OnnxFlowSession;
import io.flowcast.serving.SessionSettings;
import io.flowcast.serving.ExecutionProviderSelector;
import io.flowcast.serving.ProviderChoice;
import java.util.ArrayList;
import java.util.List;

/** A step flow served by ONNX Runtime through {@link OnnxFlowSession}. */
public final class OnnxStepDensity implements StepDensity {

    private final OnnxFlowSession session;

    public OnnxStepDensity(OnnxFlowSession session) {
        if (session.dimension() != 2) {
            throw new IllegalArgumentException("a chain step models 2-d positions, the session has d = "
                    + session.dimension());
        }
        if (session.manifest().config().base() != BaseKind.GAUSSIAN) {
            throw new IllegalArgumentException("the forecaster draws standard normal codes: need a Gaussian base");
        }
        this.session = session;
    }

    /** Opens one CPU session per step artifact; on failure the ones already open are closed. */
    public static List<StepDensity> openAll(List<FlowArtifact> artifacts, SessionSettings settings)
            throws OrtException {
        List<StepDensity> steps = new ArrayList<>(artifacts.size());
        try {
            for (FlowArtifact artifact : artifacts) {
                steps.add(new OnnxStepDensity(OnnxFlowSession.open(artifact, settings,
                        new ExecutionProviderSelector(ProviderChoice.CPU))));
            }
        } catch (OrtException | RuntimeException e) {
            steps.forEach(StepDensity::close);
            throw e;
        }
        return steps;
    }

    @Override
    public int contextDimension() {
        return session.contextDimension();
    }

    @Override
    public void logProb(float[] delta, float[] c, int rows, float[] out) {
        session.logProb(delta, c, rows, out);
    }

    @Override
    public float[] decode(float[] noise, float[] c, int rows) {
        return session.sampleFromNoise(c, noise, rows);
    }

    @Override
    public void close() {
        session.close();
    }
}
