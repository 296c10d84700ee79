package io.flowcast.retrain;

import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.flow.ClockCoverage;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.onnx.FlowArtifact;
import io.flowcast.flow.train.Ar1Objective;
import io.flowcast.flow.train.CompoundSymmetryObjective;
import io.flowcast.flow.train.IidObjective;
import io.flowcast.flow.train.OrnsteinUhlenbeckObjective;
import io.flowcast.flow.train.TrainedFlow;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.flow.train.TrainingData;
import io.flowcast.flow.train.TrainingObjective;
import io.flowcast.flow.train.TrainingReport;
import io.flowcast.registry.ModelRegistry;
import io.flowcast.registry.ModelVersion;
import io.flowcast.serving.OnnxFlowSession;
import io.flowcast.serving.StreamProfile;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One retraining of a stream: its records of the training window, split by event time (train, then calibrate, then
 * validate), a candidate flow trained with the configured objective, exported and calibrated; the candidate and the
 * live model scored on the same validation records; the {@link PromotionGate}'s decision; and, when it promotes,
 * publication and activation in the registry (every instance then swaps to it).
 */
public final class Retrainer {

    private static final Logger LOG = Logger.getLogger(Retrainer.class);
    static final int PARITY_ROWS = 10_000;

    /** What a retraining needs besides the data and the registry. */
    public record Settings(String objective, FlowShape shape, TrainerConfig trainer, double trainShare,
            double calibrationShare, int minRecords, PromotionGate gate, ClockCoverage clock) {

        /** Settings with the default clock-column guard ({@link ClockCoverage#DEFAULT}). */
        public Settings(String objective, FlowShape shape, TrainerConfig trainer, double trainShare,
                double calibrationShare, int minRecords, PromotionGate gate) {
            this(objective, shape, trainer, trainShare, calibrationShare, minRecords, gate, ClockCoverage.DEFAULT);
        }
    }

    private final ModelRegistry registry;
    private final Function<StreamProfile, List<StreamObservation>> source;
    private final Settings settings;

    /** @param source the stream's records of the training window (e.g. read from the topics by timestamp) */
    public Retrainer(ModelRegistry registry, Function<StreamProfile, List<StreamObservation>> source,
            Settings settings) {
        this.registry = registry;
        this.source = source;
        this.settings = settings;
    }

    public RetrainOutcome retrain(StreamProfile profile) {
        long started = System.nanoTime();
        String stream = profile.name();
        PhaseClock phases = new PhaseClock();
        try {
            TimeSplitData data = TimeSplitData.of(source.apply(profile), profile.dimension(), profile.context(),
                    settings.trainShare(), settings.calibrationShare());
            phases.lap("split");
            if (data.training().rows() < settings.minRecords() || data.calibration().rows() < 10
                    || data.validation().rows() < 10) {
                return outcome(stream, RetrainOutcome.Result.SKIPPED, 0, "too few records: "
                        + data.training().rows() + " training, " + data.calibration().rows() + " calibration, "
                        + data.validation().rows() + " validation", null, null, started, phases);
            }
            Optional<ModelVersion> live = registry.serving(stream);
            int version = registry.claimNextVersion(stream);
            int d = profile.dimension();
            TimeSplitData.Part built = data.training();
            ContextSpec context = settings.clock().choose(profile.context(), built.c(), built.rows(), d);
            int k = context.dimension(d);
            TimeSplitData.Part train = narrow(built, profile.context(), context, d);
            TrainingData training = TrainingData.windowed(d, k, train.x(), train.c(), train.entities(), train.times());
            ModelSpec spec = new ModelSpec(stream, version, live.map(ModelVersion::version).orElse(null),
                    profile.features(), context, data.from(), data.to());
            FlowConfig flow = settings.shape().config(profile.features(), k);
            TimeSplitData.Part calibration = narrow(data.calibration(), profile.context(), context, d);
            Candidate candidate = new CandidateTrainer(settings.trainer()).train(spec, flow,
                    objective(settings.objective(), d, train), training, calibration.x(), calibration.c(),
                    calibration.rows());
            TrainingReport report = candidate.training().report();
            phases.split("train", report.wallSeconds(), "export_calibrate");
            phases.put("epochs", report.epochs().size());
            phases.put("steps", report.steps());
            phases.put("train_records", report.trainRecords());
            phases.put("records_per_epoch", report.meanRecordsPerEpoch());
            phases.put("early_stopping_records", report.earlyStoppingRecords());
            phases.put("stopped_by_time_budget", report.stopReason().startsWith("time budget") ? 1 : 0);
            phases.put("calibration_records", candidate.draft().calibration().length);
            TimeSplitData.Part validation = narrow(data.validation(), profile.context(), context, d);
            Evaluation candidateEvaluation;
            double parity;
            try (OnnxFlowSession session = OnnxFlowSession.openOnCpu(candidate.artifact());
                    TrainedFlow trained = candidate.training().toTrainedFlow()) {
                candidateEvaluation = ModelEvaluator.evaluate(session,
                        HeldOutCalibration.of(candidate.draft().calibration()), validation.x(), validation.c(),
                        validation.rows());
                parity = parityError(trained, session, validation);
            }
            Optional<Evaluation> liveEvaluation = live.flatMap(v -> evaluateLive(v,
                    liveView(data.validation(), profile.context(), v, d)));
            phases.lap("evaluate");
            phases.put("validation_records", validation.rows());
            GateDecision decision = settings.gate().decide(candidateEvaluation, liveEvaluation, parity);
            if (!decision.promote()) {
                return outcome(stream, RetrainOutcome.Result.REJECTED, version, decision.reason(),
                        candidateEvaluation, liveEvaluation.orElse(null), started, phases);
            }
            ModelVersion published = registry.publish(candidate.draft(), candidate.artifactBytes());
            registry.activate(stream, published.version(), "retrained: " + decision.reason());
            phases.lap("publish");
            return outcome(stream, RetrainOutcome.Result.PROMOTED, version, decision.reason(), candidateEvaluation,
                    liveEvaluation.orElse(null), started, phases);
        } catch (RuntimeException | ai.onnxruntime.OrtException e) {
            LOG.errorf(e, "Retraining %s failed", stream);
            return outcome(stream, RetrainOutcome.Result.FAILED, 0, String.valueOf(e.getMessage()), null, null,
                    started, phases);
        }
    }

    /**
     * The largest gap between the trained (DJL) and exported (ONNX) log-densities over a spread sample of at most
     * {@link #PARITY_ROWS} validation records: an export contract check, which a few thousand records settle as well
     * as all of them (the evaluation itself, which checks every record for NaN, runs the exported graph on all).
     */
    static double parityError(TrainedFlow trained, OnnxFlowSession session, TimeSplitData.Part validation) {
        int rows = validation.rows();
        int sample = Math.min(rows, PARITY_ROWS);
        int d = validation.x().length / Math.max(1, rows);
        int k = validation.c().length / Math.max(1, rows);
        float[] x = new float[sample * d];
        float[] c = new float[sample * k];
        for (int i = 0; i < sample; i++) {
            int row = (int) ((long) i * rows / sample);
            System.arraycopy(validation.x(), row * d, x, i * d, d);
            System.arraycopy(validation.c(), row * k, c, i * k, k);
        }
        return parityError(trained.logProb(x, c, sample), session.logProb(x, c, sample));
    }

    /** A part's rows with the contexts {@code narrower} reads (built with {@code built}, which covers it). */
    static TimeSplitData.Part narrow(TimeSplitData.Part part, ContextSpec built, ContextSpec narrower, int d) {
        return new TimeSplitData.Part(part.x(), built.narrow(part.c(), part.rows(), d, narrower), part.entities(),
                part.times(), part.rows());
    }

    /**
     * The validation rows as the live version reads them: its fitter may have chosen fewer clock columns than the
     * candidate's (a first model fitted on minutes of data has none), and both must be judged on the same records.
     */
    private static TimeSplitData.Part liveView(TimeSplitData.Part validation, ContextSpec built, ModelVersion live,
            int d) {
        try {
            ContextSpec spec = live.contextSpec();
            return built.covers(spec) ? narrow(validation, built, spec, d) : validation;
        } catch (IllegalArgumentException e) {
            return validation; // an unreadable spec: the dimension check in evaluateLive refuses the comparison
        }
    }

    private Optional<Evaluation> evaluateLive(ModelVersion version, TimeSplitData.Part validation) {
        Optional<byte[]> bytes = registry.artifact(version.name(), version.version());
        if (bytes.isEmpty() || version.calibration().length == 0) {
            return Optional.empty();
        }
        try (OnnxFlowSession session = OnnxFlowSession.openOnCpu(FlowArtifact.fromBytes(bytes.get()))) {
            if (session.contextDimension() != validation.c().length / Math.max(1, validation.rows())) {
                return Optional.empty(); // a different context spec: not comparable on these rows
            }
            return Optional.of(ModelEvaluator.evaluate(session, HeldOutCalibration.of(version.calibration()),
                    validation.x(), validation.c(), validation.rows()));
        } catch (Exception e) {
            LOG.warnf("Cannot evaluate the live %s v%d: %s", version.name(), version.version(), e.getMessage());
            return Optional.empty();
        }
    }

    static double parityError(float[] reference, float[] exported) {
        double worst = 0;
        for (int i = 0; i < reference.length; i++) {
            double gap = Math.abs(reference[i] - exported[i]);
            if (!Double.isFinite(gap)) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, gap);
        }
        return worst;
    }

    /** The objective by its configured name (OU's tau starts from the windows' moments, see WindowMoments). */
    static TrainingObjective objective(String name, int d, TimeSplitData.Part train) {
        return switch (name) {
            case "iid" -> new IidObjective();
            case "ar1" -> new Ar1Objective(d);
            case "ou" -> new OrnsteinUhlenbeckObjective(d, 1.0);
            case "compound-symmetry" -> new CompoundSymmetryObjective(d);
            default -> throw new IllegalArgumentException("unknown objective '" + name
                    + "' (iid, ar1, ou, compound-symmetry)");
        };
    }

    private static RetrainOutcome outcome(String stream, RetrainOutcome.Result result, int version, String reason,
            Evaluation candidate, Evaluation live, long started, PhaseClock phases) {
        RetrainOutcome outcome = new RetrainOutcome(stream, result, version, reason, candidate, live,
                (System.nanoTime() - started) / 1e9, phases.values());
        LOG.infof("Retrain %s: %s%s (%s) in %.1f s %s", stream, result.label(),
                version > 0 ? " v" + version : "", reason, outcome.seconds(), outcome.phases());
        return outcome;
    }
}
