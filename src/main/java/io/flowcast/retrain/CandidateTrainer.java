package io.flowcast.retrain;

import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.onnx.FlowArtifact;
import io.flowcast.flow.onnx.FlowOnnxExporter;
import io.flowcast.flow.train.FlowTrainer;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.flow.train.TrainingData;
import io.flowcast.flow.train.TrainingObjective;
import io.flowcast.flow.train.TrainingReport;
import io.flowcast.flow.train.TrainingResult;
import io.flowcast.registry.ModelVersion;
import io.flowcast.serving.OnnxFlowSession;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains a flow, exports it to ONNX and calibrates it on held-out records scored by the exported graph itself (so
 * the calibration is exactly what serving will compute): the one path by which both the first model of a stream
 * and every retrained version are made.
 */
public final class CandidateTrainer {

    /**
     * The most calibration records a model keeps. Their scores travel in the manifest, which is one Kafka record
     * (1 MiB by default): 20k scores are about 400 kB of JSON and resolve tail probabilities down to 5e-5; 150k
     * (the calibration share of a 1M-record window) made a 2.7 MB manifest the topic refused.
     */
    static final int MAX_CALIBRATION_RECORDS = 20_000;

    private final TrainerConfig trainerConfig;

    public CandidateTrainer(TrainerConfig trainerConfig) {
        this.trainerConfig = trainerConfig;
    }

    /**
     * @param flowConfig   the flow's shape (dimension and context dimension must match the data)
     * @param training     the training records (the trainer holds out a share of windows for early stopping)
     * @param calibrationX held-out records later in time than the training ones, row-major
     * @param calibrationC their contexts
     */
    public Candidate train(ModelSpec spec, FlowConfig flowConfig, TrainingObjective objective, TrainingData training,
            float[] calibrationX, float[] calibrationC, int calibrationRows) {
        TrainingResult result = new FlowTrainer(trainerConfig).train(flowConfig, training, objective);
        TrainingReport report = result.report();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("validation_nll", report.bestValidationLoss());
        metrics.put("train_nll", report.best().trainLoss());
        metrics.put("epochs", report.epochs().size());
        metrics.put("best_epoch", report.bestEpoch());
        metrics.put("train_seconds", report.wallSeconds());
        metrics.put("train_records", report.trainRecords());
        metrics.put("stop_reason", report.stopReason());
        FlowArtifact artifact = new FlowOnnxExporter().export(new ConditionalFlow(result.config()),
                result.parameters(), spec.name(), Integer.toString(spec.version()), metrics);
        double[] calibration = calibrationRows <= MAX_CALIBRATION_RECORDS
                ? scores(artifact, calibrationX, calibrationC, calibrationRows)
                : spreadSample(artifact, calibrationX, calibrationC, calibrationRows, training.dimension(),
                        training.contextDimension());
        metrics.put("calibration_records", calibration.length);
        ModelVersion draft = new ModelVersion(spec.name(), spec.version(), spec.parent(), System.currentTimeMillis(),
                spec.dataFrom(), spec.dataTo(), training.size(), objective.name(), report.dependenceKind(),
                report.dependence(), spec.features(), spec.context().window(), spec.context().timeFeatures(),
                spec.context().timeFeatureNames(), metrics,
                artifact.manifest().scaler().xMean(), artifact.manifest().scaler().xStd(), calibration, null, 0, 0);
        return new Candidate(result, artifact, artifact.toBytes(), draft);
    }

    /** Scores of {@link #MAX_CALIBRATION_RECORDS} records evenly spread over the calibration rows (over their time). */
    private static double[] spreadSample(FlowArtifact artifact, float[] x, float[] c, int rows, int d, int k) {
        int sample = MAX_CALIBRATION_RECORDS;
        float[] sx = new float[sample * d];
        float[] sc = new float[sample * k];
        for (int i = 0; i < sample; i++) {
            int row = (int) ((long) i * rows / sample);
            System.arraycopy(x, row * d, sx, i * d, d);
            if (k > 0) {
                System.arraycopy(c, row * k, sc, i * k, k);
            }
        }
        return scores(artifact, sx, sc, sample);
    }

    /** Raw scores (negative log-densities) of records under the exported graph; non-finite ones are dropped. */
    static double[] scores(FlowArtifact artifact, float[] x, float[] c, int rows) {
        try (OnnxFlowSession session = OnnxFlowSession.openOnCpu(artifact)) {
            float[] logProbs = session.logProb(x, c, rows);
            return java.util.stream.IntStream.range(0, rows).mapToDouble(i -> -logProbs[i])
                    .filter(Double::isFinite).toArray();
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException("cannot open the exported flow: " + e.getMessage(), e);
        }
    }
}
