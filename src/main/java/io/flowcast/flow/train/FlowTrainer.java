package io.flowcast.flow.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowOutput;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a {@link ConditionalFlow} with DJL autodiff: Adam with warm-up and cosine decay, global-norm gradient
 * clipping, early stopping on a held-out split of windows with the best parameters restored. The flow's scaler is
 * set from the training split first.
 *
 * <p>Reproducible: parameter initialisation (from the flow config's seed), the split and the shuffling (from the
 * trainer's seed) are drawn in Java, and PyTorch's CPU kernels are deterministic for a fixed thread count, so the
 * same inputs give the same parameters bit for bit.
 *
 * <p>Several trainers may run at once on different threads (gradients are recorded per thread). The intra-op
 * thread count ({@link TrainerConfig#threads()}) is process-wide.
 */
public final class FlowTrainer {

    private static final System.Logger LOG = System.getLogger(FlowTrainer.class.getName());
    private static final int VALIDATION_BATCH = 8192;
    private static final double STD_FLOOR = 1e-6;

    private final TrainerConfig config;
    private final Consumer<EpochStats> listener;

    public FlowTrainer(TrainerConfig config) {
        this(config, stats -> { });
    }

    /** @param listener called after every epoch (progress reporting) */
    public FlowTrainer(TrainerConfig config, Consumer<EpochStats> listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public TrainerConfig config() {
        return config;
    }

    /** Trains with the i.i.d. negative log-likelihood. */
    public TrainingResult train(FlowConfig flowConfig, TrainingData data) {
        return train(flowConfig, data, new IidObjective());
    }

    public TrainingResult train(FlowConfig flowConfig, TrainingData data, TrainingObjective objective) {
        ConditionalFlow flow = new ConditionalFlow(flowConfig);
        return train(flow, FlowParameters.initialize(flow.parameters(), flowConfig.seed()), data, objective);
    }

    /** Continues from given parameters (a warm start); the scaler is refitted unless the config says otherwise. */
    public TrainingResult train(ConditionalFlow flow, FlowParameters initial, TrainingData data,
            TrainingObjective objective) {
        long started = System.nanoTime();
        BudgetClock budget = new BudgetClock(config.budgetOnCpuTime());
        if (config.threads() > 0 && Engine.getInstance() != null && JniUtils.getNumThreads() != config.threads()) {
            JniUtils.setNumThreads(config.threads());
        }
        FlowConfig flowConfig = flow.config();
        checkData(flowConfig, data);
        if (objective.requiresGaussianBase() && flowConfig.base() != io.flowcast.flow.BaseKind.GAUSSIAN) {
            throw new IllegalArgumentException("objective " + objective.name() + " models the codes as Gaussian; "
                    + "the flow's base is " + flowConfig.base());
        }
        initial.checkMatches(flow.parameters());
        SplittableRandom random = new SplittableRandom(config.seed());
        WindowIndex index = new WindowIndex(data);
        int[][] split = index.split(config.validationFraction(), random);
        int[] trainingWindows = split[0];
        int[] validationWindows = earlyStoppingWindows(index, split[1], random);
        int[] trainingRows = index.rowsOf(trainingWindows);
        FlowParameters parameters = config.fitScaler() ? withScaler(initial, data, trainingRows) : initial;
        FlowParameters objectiveInitial = objective.initialParameters(
                FlowParameters.initialize(objective.parameters(), config.seed()),
                WindowMoments.of(data, index, trainingWindows));
        for (ParameterSpec spec : objective.parameters()) {
            if (parameters.contains(spec.name())) {
                throw new IllegalArgumentException("objective parameter " + spec.name() + " clashes with the flow's");
            }
        }

        try (NDManager root = NDManager.newBaseManager()) {
            Map<String, NDArray> flowArrays = DjlParameters.toArrays(root, parameters, DataType.FLOAT32, true);
            Map<String, NDArray> objectiveArrays =
                    DjlParameters.toArrays(root, objectiveInitial, DataType.FLOAT32, true);
            Map<String, NDArray> all = new LinkedHashMap<>(flowArrays);
            all.putAll(objectiveArrays);
            Map<String, NDArray> trainable = new LinkedHashMap<>();
            all.forEach((name, array) -> {
                if (array.hasGradient()) {
                    trainable.put(name, array);
                }
            });
            Adam adam = new Adam(root, trainable, config.beta1(), config.beta2(), config.epsilon());
            int stepsPerEpoch = index.pack(index.leading(trainingWindows, config.maxRecordsPerEpoch()),
                    config.batchSize()).size();
            LearningRateSchedule schedule = new LearningRateSchedule(config.learningRate(),
                    config.minLearningRate(), config.warmupSteps(), (long) stepsPerEpoch * config.maxEpochs());

            List<EpochStats> epochs = new ArrayList<>();
            FlowParameters best = parameters;
            FlowParameters bestObjective = objectiveInitial;
            double bestLoss = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            int sinceImprovement = 0;
            long step = 0;
            String stopReason = "reached maxEpochs";
            for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
                long epochStart = System.nanoTime();
                int[] order = trainingWindows.clone();
                WindowIndex.shuffle(order, random);
                order = index.leading(order, config.maxRecordsPerEpoch());
                double lossSum = 0;
                double normSum = 0;
                long records = 0;
                int skipped = 0;
                double rate = 0;
                List<int[]> batches = index.pack(order, config.batchSize());
                for (int[] windows : batches) {
                    WindowIndex.Batch batch = index.batch(windows);
                    rate = schedule.rate(step);
                    StepResult result = step(flow, objective, root, all, trainable, adam, batch, rate);
                    step++;
                    if (result.skipped()) {
                        skipped++;
                        continue;
                    }
                    lossSum += result.loss() * batch.metadata().size();
                    normSum += result.gradientNorm();
                    records += batch.metadata().size();
                }
                int taken = batches.size() - skipped;
                double trainLoss = records == 0 ? Double.NaN : lossSum / records;
                double validationLoss = validationWindows.length == 0 ? Double.NaN
                        : evaluate(flow, objective, root, all, index, validationWindows);
                EpochStats stats = new EpochStats(epoch, trainLoss, validationLoss, rate,
                        taken == 0 ? Double.NaN : normSum / taken, skipped, seconds(epochStart), batches.size(),
                        index.records(order));
                epochs.add(stats);
                listener.accept(stats);
                LOG.log(System.Logger.Level.DEBUG, () -> "epoch " + stats);

                double monitored = Double.isNaN(validationLoss) ? trainLoss : validationLoss;
                if (Double.isFinite(monitored) && monitored < bestLoss - config.minImprovement()) {
                    bestLoss = monitored;
                    bestEpoch = epoch;
                    sinceImprovement = 0;
                    best = DjlParameters.fromArrays(flowArrays, parameters);
                    bestObjective = DjlParameters.fromArrays(objectiveArrays, objectiveInitial);
                } else {
                    sinceImprovement++;
                }
                if (taken == 0) {
                    stopReason = "every step of epoch " + epoch + " had a non-finite loss or gradient";
                    break;
                }
                if (sinceImprovement >= config.patience()) {
                    stopReason = "no improvement for " + config.patience() + " epochs";
                    break;
                }
                if (config.maxSeconds() > 0 && budget.seconds() > config.maxSeconds()) {
                    stopReason = "time budget of " + config.maxSeconds() + " s" + (budget.onCpuTime() ? " of CPU" : "")
                            + " spent";
                    break;
                }
            }
            if (bestEpoch == 0) {
                throw new IllegalStateException("training produced no finite loss: " + stopReason);
            }
            TrainingReport report = new TrainingReport(objective.name(), epochs, bestEpoch,
                    validationWindows.length == 0 ? Double.NaN : bestLoss, stopReason, step, trainingRows.length,
                    data.size() - trainingRows.length, data.droppedRows(), seconds(started),
                    objective.dependence(bestObjective).kind(), objective.dependence(bestObjective).parameters(),
                    (int) index.records(validationWindows));
            return new TrainingResult(flowConfig, best, bestObjective, report);
        }
    }

    /**
     * The validation windows early stopping scores: all of them, or a fixed random subset of about
     * {@link TrainerConfig#maxValidationRecords()} records (drawn once, so every epoch is scored on the same records).
     */
    private int[] earlyStoppingWindows(WindowIndex index, int[] validationWindows, SplittableRandom random) {
        int bound = config.maxValidationRecords();
        if (bound <= 0 || index.records(validationWindows) <= bound) {
            return validationWindows;
        }
        int[] order = validationWindows.clone();
        WindowIndex.shuffle(order, random);
        int[] subset = index.leading(order, bound);
        Arrays.sort(subset);
        return subset;
    }

    private record StepResult(double loss, double gradientNorm, boolean skipped) {
    }

    private StepResult step(ConditionalFlow flow, TrainingObjective objective, NDManager root,
            Map<String, NDArray> all, Map<String, NDArray> trainable, Adam adam, WindowIndex.Batch batch,
            double rate) {
        try (NDManager scratch = root.newSubManager()) {
            DjlOps ops = new DjlOps(scratch, all);
            NDArray x = input(scratch, batch.x(), batch.metadata().size(), flow.config().dimension());
            NDArray c = input(scratch, batch.c(), batch.metadata().size(), flow.config().contextDimension());
            NDArray loss = ThreadAutograd.lossAndGradients(scratch, () -> {
                FlowOutput<NDArray> out = flow.forward(ops, x, c);
                return objective.loss(ops, out.z(), out.logDet(), z -> flow.baseLogProb(ops, z), batch.metadata());
            });
            double lossValue = loss.getFloat();
            Map<String, NDArray> gradients = new LinkedHashMap<>();
            double squaredNorm = 0;
            for (Map.Entry<String, NDArray> entry : trainable.entrySet()) {
                NDArray gradient = entry.getValue().getGradient();
                gradient.attach(scratch);
                gradients.put(entry.getKey(), gradient);
                NDArray squared = gradient.square().sum();
                squared.attach(scratch);
                squaredNorm += squared.getFloat();
            }
            double norm = Math.sqrt(squaredNorm);
            boolean finite = Double.isFinite(lossValue) && Double.isFinite(norm);
            if (finite) {
                double clip = config.gradientClipNorm();
                double scale = clip > 0 && norm > clip ? clip / norm : 1.0;
                adam.step(scratch, trainable, gradients, scale, rate);
            }
            for (NDArray parameter : trainable.values()) {
                zeroGradient(parameter);
            }
            return new StepResult(lossValue, norm, !finite);
        }
    }

    /** Mean objective loss per record over whole validation windows, without recording gradients. */
    private double evaluate(ConditionalFlow flow, TrainingObjective objective, NDManager root,
            Map<String, NDArray> all, WindowIndex index, int[] windows) {
        double sum = 0;
        long records = 0;
        for (int[] part : index.pack(windows, Math.max(VALIDATION_BATCH, config.batchSize()))) {
            WindowIndex.Batch batch = index.batch(part);
            try (NDManager scratch = root.newSubManager()) {
                DjlOps ops = new DjlOps(scratch, all);
                NDArray x = input(scratch, batch.x(), batch.metadata().size(), flow.config().dimension());
                NDArray c = input(scratch, batch.c(), batch.metadata().size(), flow.config().contextDimension());
                float loss = ThreadAutograd.withoutGradients(() -> {
                    FlowOutput<NDArray> out = flow.forward(ops, x, c);
                    return objective.loss(ops, out.z(), out.logDet(), z -> flow.baseLogProb(ops, z),
                            batch.metadata()).getFloat();
                });
                sum += (double) loss * batch.metadata().size();
                records += batch.metadata().size();
            }
        }
        return sum / records;
    }

    private static NDArray input(NDManager manager, float[] values, int rows, int columns) {
        return columns == 0 ? null : manager.create(values, new Shape(rows, columns));
    }

    /** Resets the accumulated gradient to zero (also after a NaN, which subtracting it from itself would keep). */
    private static void zeroGradient(NDArray parameter) {
        if (parameter instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
        } else {
            NDArray gradient = parameter.getGradient();
            gradient.subi(gradient);
            gradient.close();
        }
    }

    /** The model's scaler from the training rows; a constant column keeps std 1 so it passes through unchanged. */
    static FlowParameters withScaler(FlowParameters parameters, TrainingData data, int[] rows) {
        FlowParameters out = parameters;
        double[][] x = data.columnMoments(rows, false);
        out = out.with(ConditionalFlow.X_MEAN, toFloats(x[0])).with(ConditionalFlow.X_STD, flooredStd(x));
        if (data.contextDimension() > 0) {
            double[][] c = data.columnMoments(rows, true);
            out = out.with(ConditionalFlow.C_MEAN, toFloats(c[0])).with(ConditionalFlow.C_STD, flooredStd(c));
        }
        return out;
    }

    private static float[] flooredStd(double[][] moments) {
        float[] std = new float[moments[1].length];
        for (int j = 0; j < std.length; j++) {
            double s = moments[1][j];
            std[j] = (float) (s > STD_FLOOR * Math.max(1, Math.abs(moments[0][j])) && Double.isFinite(s) ? s : 1.0);
        }
        return std;
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static void checkData(FlowConfig flowConfig, TrainingData data) {
        if (data.dimension() != flowConfig.dimension() || data.contextDimension() != flowConfig.contextDimension()) {
            throw new IllegalArgumentException("data has d=" + data.dimension() + ", k=" + data.contextDimension()
                    + " but the flow expects d=" + flowConfig.dimension() + ", k=" + flowConfig.contextDimension());
        }
        if (data.size() < 2) {
            throw new IllegalArgumentException("need at least 2 finite records to train, have " + data.size()
                    + (data.droppedRows() > 0 ? " (" + data.droppedRows() + " dropped as non-finite)" : ""));
        }
    }

    /** Time spent since training began: wall-clock, or CPU time of the training thread where the JVM measures it. */
    private static final class BudgetClock {
        private final java.lang.management.ThreadMXBean threads =
                java.lang.management.ManagementFactory.getThreadMXBean();
        private final boolean cpu;
        private final long start;

        BudgetClock(boolean onCpuTime) {
            cpu = onCpuTime && threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
            start = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
        }

        boolean onCpuTime() {
            return cpu;
        }

        double seconds() {
            return ((cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - start) / 1e9;
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    @Override
    public String toString() {
        return "FlowTrainer" + Arrays.asList(config);
    }
}
