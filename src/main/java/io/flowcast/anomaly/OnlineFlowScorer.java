package io.flowcast.anomaly;

import ai.onnxruntime.OrtException;
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
import java.util.Objects;

/**
 * Scores one event stream that has no model yet by learning from the stream itself, in event order, with Flowcast's
 * own parts:
 * <ol>
 *   <li>{@link EventHistory} builds the context of record t (last w values and deltas, hour-of-day and day-of-week,
 *       time since the previous record) from records before t only;</li>
 *   <li>the raw score is -log p(x_t | context) under a conditional spline flow trained with {@link FlowTrainer},
 *       exported with {@link FlowOnnxExporter} and evaluated by ONNX Runtime through {@link OnnxFlowSession}, the
 *       serving path;</li>
 *   <li>a {@link SlidingCalibration} of out-of-sample raw scores turns it into a tail probability; the grade is
 *       1 - tail;</li>
 *   <li>{@link StreamEvidence} combines that tail with the record's marginal and day-over-day tails and drops
 *       repeats inside an alarm episode: the alarm tail, what a detector that should fire once per anomaly
 *       reports.</li>
 * </ol>
 * Nothing looks ahead: the stream warms up (grade 0, no alerts) until {@code minTrain} (x, context) pairs exist, then
 * a first model is fitted, and refitted every {@code refitEvery} records on the most recent pairs seen so far. Each
 * fit leaves the newest {@code holdout} pairs out; the new model scores them to seed its calibration, and every later
 * record joins the calibration once it has been scored.
 *
 * <p>Fitting runs inline, on the caller's thread, at the record that triggers it. Not thread-safe: one per stream.
 */
public final class OnlineFlowScorer implements AutoCloseable {

    /**
     * @param context      how contexts are built
     * @param minTrain     fewest pairs before the first model
     * @param refitEvery   records between refits
     * @param maxTrain     most recent pairs a fit uses
     * @param holdout      newest pairs held out of a fit to calibrate it (at most a quarter of the pairs)
     * @param calibration  out-of-sample scores the sliding calibration keeps
     * @param smoothing    raw scores are averaged over the last {@code smoothing} records before calibration
     * @param tailFraction share of the calibration sample the exponential tail beyond it is fitted to
     * @param couplings    flow couplings
     * @param hidden       conditioner width (two hidden layers)
     * @param bins         spline bins
     * @param stepsPerFit  about this many gradient steps per fit (epochs follow from the data size)
     * @param seed         drives initialisation and shuffling; the same stream and seed give the same scores
     * @param evidence     how the alarm tail combines the flow's tail with the marginal and seasonal views and
     *                     drops repeats ({@link StreamEvidence})
     */
    public record Settings(ContextSpec context, int minTrain, int refitEvery, int maxTrain, int holdout,
            int calibration, int smoothing, double tailFraction, int couplings, int hidden, int bins,
            int stepsPerFit, long seed, StreamEvidence.Settings evidence) {

        public Settings {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(evidence, "evidence");
            if (minTrain < 8 || refitEvery < 1 || maxTrain < 8 || holdout < 1 || calibration < 1 || smoothing < 1
                    || !(tailFraction > 0 && tailFraction < 1) || stepsPerFit < 1) {
                throw new IllegalArgumentException("bad online scorer settings: " + this);
            }
        }

        /** The flow's conditional tail alone as the alarm tail (the settings before {@link StreamEvidence}). */
        public Settings(ContextSpec context, int minTrain, int refitEvery, int maxTrain, int holdout,
                int calibration, int smoothing, double tailFraction, int couplings, int hidden, int bins,
                int stepsPerFit, long seed) {
            this(context, minTrain, refitEvery, maxTrain, holdout, calibration, smoothing, tailFraction, couplings,
                    hidden, bins, stepsPerFit, seed, StreamEvidence.Settings.conditionalOnly());
        }

        /**
         * Small and quick: window 24 with time features, 2 couplings of width 32, refit every 1000 records on the
         * last 3000 pairs, alarms from {@link StreamEvidence.Settings#multiScale()} (the window and the evidence
         * settings were chosen on the NAB development corpus, see docs/nab.md).
         */
        public static Settings defaults() {
            return new Settings(ContextSpec.eventStream(24), 200, 1000, 3000, 200, 2000, 1, 0.1, 2, 32, 8, 200, 17,
                    StreamEvidence.Settings.multiScale());
        }

        public Settings withMinTrain(int pairs) {
            return new Settings(context, pairs, refitEvery, maxTrain, holdout, calibration, smoothing, tailFraction,
                    couplings, hidden, bins, stepsPerFit, seed, evidence);
        }

        public Settings withEvidence(StreamEvidence.Settings evidence) {
            return new Settings(context, minTrain, refitEvery, maxTrain, holdout, calibration, smoothing,
                    tailFraction, couplings, hidden, bins, stepsPerFit, seed, evidence);
        }
    }

    /**
     * One record's outcome.
     *
     * @param raw        -log p(x | context), NaN while warming up or when the record could not be scored
     * @param tail       calibrated tail probability (1 while warming up)
     * @param grade      1 - tail
     * @param warmingUp  no model yet
     * @param alarmTail  the record's tail after {@link StreamEvidence}: the smallest of the conditional, marginal
     *                   and seasonal tails (Bonferroni-corrected), 1 for a repeat inside an alarm episode and while
     *                   warming up
     */
    public record Result(double raw, double tail, double grade, boolean warmingUp, double alarmTail) {

        static final Result WARMING_UP = new Result(Double.NaN, 1.0, 0.0, true, 1.0);

        /** 1 - alarm tail: what a detector that raises one alarm per episode reports. */
        public double alarmGrade() {
            return 1.0 - alarmTail;
        }
    }

    private static final int BATCH = 128;

    private final String name;
    private final List<String> features;
    private final Settings settings;
    private final int d;
    private final EventHistory history;
    private final int k;
    private final SlidingCalibration calibration;
    private final StreamEvidence evidence;
    private float[] x;
    private float[] c;
    private double[] raw;
    private int pairs;
    private int nextFit;
    private int fits;
    private int failedFits;
    private OnnxFlowSession session;
    private final float[] logProb = new float[1];
    private long fittingNanos;

    public OnlineFlowScorer(String name, List<String> features, Settings settings) {
        this.name = Objects.requireNonNull(name, "name");
        this.features = List.copyOf(features);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.d = this.features.size();
        if (d < 1 || d > FlowConfig.MAX_DIMENSION) {
            throw new IllegalArgumentException("need 1.." + FlowConfig.MAX_DIMENSION + " features, got " + d);
        }
        this.history = new EventHistory(settings.context(), d);
        this.k = settings.context().dimension(d);
        this.x = new float[1024 * d];
        this.c = new float[1024 * k];
        this.raw = new double[1024];
        this.calibration = new SlidingCalibration(settings.calibration());
        this.evidence = new StreamEvidence(settings.evidence(), d);
        this.nextFit = settings.minTrain();
    }

    /** Scores a record, then learns from it (and refits when due). Records must arrive in event-time order. */
    public Result score(long eventTime, float[] values) {
        if (values == null || values.length != d) {
            throw new IllegalArgumentException("expected " + d + " values");
        }
        boolean finite = true;
        for (float v : values) {
            finite &= Float.isFinite(v);
        }
        if (!finite) {
            return session == null ? Result.WARMING_UP : new Result(Double.NaN, 1.0, 0.0, false, 1.0);
        }
        float[] context = history.context(eventTime);
        Result result = Result.WARMING_UP;
        if (context != null) {
            double rawScore = session == null ? Double.NaN : rawScore(values, context);
            remember(values, context, rawScore);
            if (session != null) {
                double smoothed = smoothed(pairs);
                double tail = calibration.extendedTail(smoothed, settings.tailFraction());
                result = new Result(rawScore, tail, 1.0 - tail, false, 1.0);
                calibration.add(smoothed);
            }
        }
        double alarmTail = evidence.score(eventTime, values, result.tail(), !result.warmingUp());
        if (!result.warmingUp()) {
            result = new Result(result.raw(), result.tail(), result.grade(), false, alarmTail);
        }
        history.append(eventTime, values);
        if (pairs >= nextFit) {
            fit();
            nextFit = pairs + settings.refitEvery();
        }
        return result;
    }

    /** Models fitted so far. */
    public int fits() {
        return fits;
    }

    /** Fits that failed (the previous model, if any, kept scoring). */
    public int failedFits() {
        return failedFits;
    }

    /** Seconds spent fitting, exporting and opening sessions. */
    public double fittingSeconds() {
        return fittingNanos / 1e9;
    }

    private double rawScore(float[] values, float[] context) {
        session.logProb(values, context, 1, logProb);
        return -logProb[0];
    }

    private void remember(float[] values, float[] context, double rawScore) {
        if (pairs == raw.length) {
            x = Arrays.copyOf(x, pairs * 2 * d);
            c = Arrays.copyOf(c, pairs * 2 * k);
            raw = Arrays.copyOf(raw, pairs * 2);
        }
        System.arraycopy(values, 0, x, pairs * d, d);
        System.arraycopy(context, 0, c, pairs * k, k);
        raw[pairs] = rawScore;
        pairs++;
    }

    /** Mean finite raw score of the {@code smoothing} pairs that end just before index {@code end}. */
    private double smoothed(int end) {
        double sum = 0;
        int n = 0;
        for (int i = Math.max(0, end - settings.smoothing()); i < end; i++) {
            if (Double.isFinite(raw[i])) {
                sum += raw[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private void fit() {
        long start = System.nanoTime();
        int holdout = Math.min(settings.holdout(), pairs / 4);
        int end = pairs - holdout;
        int from = Math.max(0, end - settings.maxTrain());
        int n = end - from;
        FlowConfig flowConfig = FlowConfig.builder(d, k)
                .couplings(settings.couplings()).hiddenWidth(settings.hidden()).hiddenLayers(2).bins(settings.bins())
                .featureNames(features).contextNames(settings.context().names(features))
                .seed(settings.seed() + fits).build();
        int stepsPerEpoch = Math.max(1, (int) Math.ceil(n * 0.9 / BATCH));
        TrainerConfig trainer = TrainerConfig.builder()
                .batchSize(BATCH)
                .maxEpochs(Math.max(2, Math.min(40, settings.stepsPerFit() / stepsPerEpoch)))
                .learningRate(5e-3).minLearningRate(1e-4).warmupSteps(10)
                .patience(4).validationFraction(0.1).seed(settings.seed() + 1000L + fits).threads(1)
                .build();
        OnnxFlowSession fresh = null;
        try {
            TrainingData data = TrainingData.iid(d, k, Arrays.copyOfRange(x, from * d, end * d),
                    Arrays.copyOfRange(c, from * k, end * k));
            TrainingResult result = new FlowTrainer(trainer).train(flowConfig, data);
            FlowArtifact artifact = new FlowOnnxExporter().export(new ConditionalFlow(flowConfig), result.parameters(),
                    name, "online-" + (fits + 1), Map.of("pairs", n));
            fresh = OnnxFlowSession.open(artifact, new SessionSettings(1, 512),
                    new ExecutionProviderSelector(ProviderChoice.CPU));
        } catch (OrtException | RuntimeException e) {
            // A failed refit keeps the current model: a stream must not stop scoring because one fit went wrong.
            failedFits++;
            System.getLogger(OnlineFlowScorer.class.getName()).log(System.Logger.Level.WARNING,
                    "fit " + (fits + 1) + " of " + name + " failed: " + e);
        }
        if (fresh != null) {
            if (session != null) {
                session.close();
            }
            session = fresh;
            fits++;
            recalibrate(end);
        }
        fittingNanos += System.nanoTime() - start;
    }

    /** Rescores the held-out pairs with the new model and restarts the calibration from them. */
    private void recalibrate(int firstHeldOut) {
        calibration.clear();
        int from = Math.max(0, firstHeldOut - settings.smoothing() + 1);
        int n = pairs - from;
        if (n <= 0) {
            return;
        }
        float[] scores = session.logProb(Arrays.copyOfRange(x, from * d, pairs * d),
                Arrays.copyOfRange(c, from * k, pairs * k), n);
        for (int i = 0; i < n; i++) {
            raw[from + i] = -scores[i];
        }
        for (int i = firstHeldOut; i < pairs; i++) {
            calibration.add(smoothed(i + 1));
        }
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
