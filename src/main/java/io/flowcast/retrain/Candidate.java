package io.flowcast.retrain;

import io.flowcast.flow.onnx.FlowArtifact;
import io.flowcast.flow.train.TrainingResult;
import io.flowcast.registry.ModelVersion;

/**
 * A trained, exported and calibrated model not yet published: the training result (DJL parameters, report), the
 * ONNX artifact and its bytes, and the registry manifest to publish it with.
 */
public record Candidate(TrainingResult training, FlowArtifact artifact, byte[] artifactBytes, ModelVersion draft) {
}
