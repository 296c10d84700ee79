package io.flowcast.bench.nab;

import ai.onnxruntime.OrtException;
import io.flowcast.anomaly.SlidingCalibration;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.EventHistory;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.onnx.FlowArtifact;
import io.flowcast.flow.onnx.FlowOnnxExporter;
import io.flowcast.flow.train.FlowTrainer;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.flow.train.TrainingData;
import io.flowcast.flow.train.TrainingResult;
import io.flowcast.serving.ExecutionProviderSelector;
import io.flowcast.serving.OnnxFlowSession;
import io.flowcast.serving.ProviderChoice;
import io.flowcast.serving.SessionSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Flowcast as a NAB detector, learning from the stream itself with Flowcast's own parts and nothing else:
 * <ol>
 *   <li>{@link EventHistory} builds the context of record t (last w values, their deltas, hour-of-day and
 *       day-of-week, time since the previous record) from records before t only;</li>
 *   <li>the raw score is -log p(x_t | context) under a conditional spline flow trained with {@link FlowTrainer},
 *       exported with {@link FlowOnnxExporter} and evaluated by ONNX Runtime through {@link OnnxFlowSession}, the
 *       serving path;</li>
 *   <li>a {@link SlidingCalibration} of out-of-sample raw scores turns it into a tail probability; NAB sees the grade
 *       1 - tail.</li>
 * </ol>
 * Learning is online and never looks ahead: no score during warm-up (NAB's probationary period), a first model once
 * the warm-up has passed, then a refit every {@code refitEvery} records on the most recent pairs seen so far. The
 * newest {@code holdout} pairs are kept out of each fit and scored by the new model to seed its calibration; every
 * later record joins the calibration after it has been scored.
 */
public final class FlowcastDetector implements StreamingDetector {

    /**
     * @param window          w, values in the context
     * @param timeFeatures    whether hour/day/gap features are in the context
     * @param minTrain        fewest (x, context) pairs for a first model (also waits for the probationary period)
     * @param refitEvery      records between refits
     * @param maxTrain        most recent pairs a fit uses
     * @param holdout         newest pairs held out of a fit to calibrate it
     * @param calibration     out-of-sample scores the sliding calibration keeps
     * @param smoothing       raw scores are averaged over the last {@code smoothing} records before calibration
     * @param tailFraction    share of the calibration sample the exponential tail is fitted to
     * @param couplings       flow couplings
     * @param hidden          conditioner width
     * @param bins            spline bins
     * @param stepsPerFit     gradient steps per fit (epochs follow from the data size)
     */
    public record Config(int window, boolean timeFeatures, int minTrain, int refitEvery, int maxTrain, int holdout,
            int calibration, int smoothing, double tailFraction, int couplings, int hidden, int bins,
            int stepsPerFit) {

        public static Config defaults() {
            return new Config(8, true, 200, 1000, 3000, 200, 2000, 1, 0.1, 2, 32, 8, 300);
        }

        public Config withWindow(int w) {
            return new Config(w, timeFeatures, minTrain, refitEvery, maxTrain, holdout, calibration, smoothing,
                    tailFraction, couplings, hidden, bins, stepsPerFit);
        }

        public Config withSmoothing(int k) {
            return new Config(window, timeFeatures, minTrain, refitEvery, maxTrain, holdout, calibration, k,
                    tailFraction, couplings, hidden, bins, stepsPerFit);
        }

        public Config withTimeFeatures(boolean on) {
            return new Config(window, on, minTrain, refitEvery, maxTrain, holdout, calibration, smoothing,
                    tailFraction, couplings, hidden, bins, stepsPerFit);
        }

        public Config withRefitEvery(int records) {
            return new Config(window, timeFeatures, minTrain, records, maxTrain, holdout, calibration, smoothing,
                    tailFraction, couplings, hidden, bins, stepsPerFit);
        }

        public Config withCalibration(int n) {
            return new Config(window, timeFeatures, minTrain, refitEvery, maxTrain, holdout, n, smoothing,
                    tailFraction, couplings, hidden, bins, stepsPerFit);
        }
    }

    private static final int BATCH = 128;
    private static final String FEATURE = "value";

    private final Config config;
    private final SeriesContext series;
    private final EventHistory history;
    private final int contextDimension;
    private final SlidingCalibration calibration;
    private final double[] recentRaw;
    private float[] x = new float[1024];
    private float[] c;
    private double[] raw = new double[1024];
    private int pairs;
    private int nextFit;
    private int fits;
    private OnnxFlowSession session;
    private final float[] one = new float[1];
    private final float[] out = new float[1];
    private long trainingNanos;

    public FlowcastDetector(Config config, SeriesContext series) {
        this.config = config;
        this.series = series;
        ContextSpec spec = new ContextSpec(config.window(), config.timeFeatures());
        this.history = new EventHistory(spec, 1);
        this.contextDimension = spec.dimension(1);
        this.c = new float[1024 * contextDimension];
        this.calibration = new SlidingCalibration(config.calibration());
        this.recentRaw = new double[Math.max(1, config.smoothing())];
        this.nextFit = Math.max(config.minTrain(), series.probationaryRecords() - config.window());
    }

    @Override
    public double score(long timestampMillis, double value) {
        float v = (float) value;
        float[] context = history.context(timestampMillis);
        double grade = 0.0;
        if (context != null && Float.isFinite(v)) {
            double rawScore = session == null ? Double.NaN : rawScore(v, context);
            remember(v, context, rawScore);
            if (session != null) {
                double smoothed = smoothed(pairs);
                grade = 1.0 - calibration.extendedTail(smoothed, config.tailFraction());
                calibration.add(smoothed);
            }
        }
        if (Float.isFinite(v)) {
            history.append(timestampMillis, new float[] {v});
        }
        if (pairs >= nextFit) {
            fit();
            nextFit = pairs + config.refitEvery();
        }
        return Double.isFinite(grade) ? grade : 0.0;
    }

    /** Seconds spent fitting and exporting (the rest of the time is scoring). */
    public double trainingSeconds() {
        return trainingNanos / 1e9;
    }

    private double rawScore(float v, float[] context) {
        one[0] = v;
        session.logProb(one, context, 1, out);
        return -out[0];
    }

    private void remember(float v, float[] context, double rawScore) {
        if (pairs == x.length) {
            x = Arrays.copyOf(x, pairs * 2);
            c = Arrays.copyOf(c, pairs * 2 * contextDimension);
            raw = Arrays.copyOf(raw, pairs * 2);
        }
        x[pairs] = v;
        System.arraycopy(context, 0, c, pairs * contextDimension, contextDimension);
        raw[pairs] = rawScore;
        pairs++;
    }

    /** Mean raw score of the pairs ending at (exclusive) index {@code end}, over the smoothing span. */
    private double smoothed(int end) {
        int from = Math.max(0, end - config.smoothing());
        double sum = 0;
        int n = 0;
        for (int i = from; i < end; i++) {
            if (Double.isFinite(raw[i])) {
                sum += raw[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private void fit() {
        long start = System.nanoTime();
        int holdout = Math.min(config.holdout(), pairs / 4);
        int end = pairs - holdout;
        int from = Math.max(0, end - config.maxTrain());
        int n = end - from;
        float[] xs = Arrays.copyOfRange(x, from, end);
        float[] cs = Arrays.copyOfRange(c, from * contextDimension, end * contextDimension);
        FlowConfig flowConfig = FlowConfig.builder(1, contextDimension)
                .couplings(config.couplings()).hiddenWidth(config.hidden()).hiddenLayers(2).bins(config.bins())
                .featureNames(List.of(FEATURE))
                .contextNames(history.spec().names(List.of(FEATURE)))
                .seed(17 + fits).build();
        int stepsPerEpoch = Math.max(1, (int) Math.ceil(n * 0.9 / BATCH));
        TrainerConfig trainer = TrainerConfig.builder()
                .batchSize(BATCH)
                .maxEpochs(Math.max(2, Math.min(40, config.stepsPerFit() / stepsPerEpoch)))
                .learningRate(5e-3).minLearningRate(1e-4).warmupSteps(10)
                .patience(4).validationFraction(0.1).seed(fits + 1L).threads(1)
                .build();
        OnnxFlowSession fresh = null;
        try {
            TrainingResult result = new FlowTrainer(trainer).train(flowConfig, TrainingData.iid(1, contextDimension, xs, cs));
            FlowArtifact artifact = new FlowOnnxExporter().export(new ConditionalFlow(flowConfig), result.parameters(),
                    "nab-" + series.name().replace('/', '-'), "v" + (fits + 1), Map.of());
            fresh = OnnxFlowSession.open(artifact, new SessionSettings(1, 256),
                    new ExecutionProviderSelector(ProviderChoice.CPU));
        } catch (OrtException | RuntimeException e) {
            // A failed refit keeps the current model: a stream must not stop scoring because one fit went wrong.
            System.err.println("flowcast: fit " + (fits + 1) + " on " + series.name() + " failed: " + e);
        }
        if (fresh != null) {
            if (session != null) {
                session.close();
            }
            session = fresh;
            fits++;
            recalibrate(end);
        }
        trainingNanos += System.nanoTime() - start;
    }

    /** Rescores the held-out tail with the new model and restarts the calibration from those scores. */
    private void recalibrate(int firstHeldOut) {
        calibration.clear();
        int from = Math.max(0, firstHeldOut - config.smoothing() + 1);
        int n = pairs - from;
        if (n <= 0) {
            return;
        }
        float[] scores = session.logProb(Arrays.copyOfRange(x, from, pairs),
                Arrays.copyOfRange(c, from * contextDimension, pairs * contextDimension), n);
        for (int i = 0; i < n; i++) {
            raw[from + i] = -scores[i];
        }
        for (int i = firstHeldOut; i < pairs; i++) {
            calibration.add(smoothed(i + 1));
        }
    }

    @Override
    public void close() {
        if (Boolean.getBoolean("nab.verbose")) {
            System.err.printf("flowcast: %s: %d pairs, %d fits, %.1f s fitting%n", series.name(), pairs, fits,
                    trainingSeconds());
        }
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
