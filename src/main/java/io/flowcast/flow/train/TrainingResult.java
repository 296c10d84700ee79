package io.flowcast.flow.train;

import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;

/**
 * A trained model: the flow's config and best parameters (scaler included), the objective's own learned
 * parameters (empty for the i.i.d. objective) and the training report.
 */
public record TrainingResult(FlowConfig config, FlowParameters parameters, FlowParameters objectiveParameters,
        TrainingReport report) {

    /** The model ready to evaluate with DJL. Close it when done. */
    public TrainedFlow toTrainedFlow() {
        return new TrainedFlow(config, parameters);
    }
}
