package io.flowcast.flow.train;

/**
 * How a flow is trained.
 *
 * @param batchSize            records per step (whole windows are kept together)
 * @param maxEpochs            upper bound on epochs
 * @param learningRate         peak Adam learning rate
 * @param minLearningRate      the cosine schedule's floor
 * @param warmupSteps          steps of linear warm-up from 0 to the peak
 * @param beta1                Adam's first-moment decay
 * @param beta2                Adam's second-moment decay
 * @param epsilon              Adam's denominator guard
 * @param gradientClipNorm     the global gradient norm is clipped to this (0 = no clipping)
 * @param validationFraction   share of windows held out for early stopping
 * @param patience             epochs without a validation improvement before stopping
 * @param minImprovement       an improvement smaller than this (nats) does not reset the patience
 * @param maxSeconds           time budget (0 = none); training stops after the epoch that exceeds it
 * @param budgetOnCpuTime      count the budget in CPU time of the training thread instead of wall-clock time: the
 *                             same amount of training whatever else the machine runs (on a loaded machine a
 *                             wall-clock budget bought a third of the steps and a worse model)
 * @param seed                 split, shuffling and initialisation; the same seed gives the same parameters
 * @param fitScaler            set the model's feature scaler from the training split
 * @param threads              PyTorch intra-op threads (process-wide; 0 leaves the engine's setting). One thread
 *                             is the default: the flow's tensors are small, and on a shared machine a second
 *                             spinning OpenMP thread made steps up to 20x slower in our measurements
 * @param maxRecordsPerEpoch   an epoch trains on a fresh random subset of whole training windows of about this
 *                             many records (0 = every window every epoch): on a large window the validation loss
 *                             levels off long before a full pass, so this bounds the time between early-stopping
 *                             checks and lets the epochs together cover more of the data than one pass would
 * @param maxValidationRecords early stopping scores a fixed random subset of whole validation windows of about this
 *                             many records (0 = all of them); the same subset every epoch, so epochs compare
 */
public record TrainerConfig(
        int batchSize,
        int maxEpochs,
        double learningRate,
        double minLearningRate,
        int warmupSteps,
        double beta1,
        double beta2,
        double epsilon,
        double gradientClipNorm,
        double validationFraction,
        int patience,
        double minImprovement,
        double maxSeconds,
        long seed,
        boolean fitScaler,
        int threads,
        int maxRecordsPerEpoch,
        int maxValidationRecords,
        boolean budgetOnCpuTime) {

    public TrainerConfig {
        require(batchSize >= 1, "batchSize must be >= 1");
        require(maxEpochs >= 1, "maxEpochs must be >= 1");
        require(learningRate > 0 && minLearningRate >= 0 && minLearningRate <= learningRate,
                "need 0 <= minLearningRate <= learningRate, learningRate > 0");
        require(warmupSteps >= 0, "warmupSteps must be >= 0");
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0, "bad Adam constants");
        require(gradientClipNorm >= 0, "gradientClipNorm must be >= 0");
        require(validationFraction >= 0 && validationFraction < 1, "validationFraction must be in [0, 1)");
        require(patience >= 1, "patience must be >= 1");
        require(minImprovement >= 0, "minImprovement must be >= 0");
        require(maxSeconds >= 0, "maxSeconds must be >= 0");
        require(threads >= 0 && threads <= 256, "threads must be in 0..256");
        require(maxRecordsPerEpoch >= 0, "maxRecordsPerEpoch must be >= 0");
        require(maxValidationRecords >= 0, "maxValidationRecords must be >= 0");
    }

    public static TrainerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().batchSize(batchSize).maxEpochs(maxEpochs).learningRate(learningRate)
                .minLearningRate(minLearningRate).warmupSteps(warmupSteps).beta1(beta1).beta2(beta2).epsilon(epsilon)
                .gradientClipNorm(gradientClipNorm).validationFraction(validationFraction).patience(patience)
                .minImprovement(minImprovement).maxSeconds(maxSeconds).seed(seed).fitScaler(fitScaler).threads(threads)
                .maxRecordsPerEpoch(maxRecordsPerEpoch).maxValidationRecords(maxValidationRecords)
                .budgetOnCpuTime(budgetOnCpuTime);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builds a {@link TrainerConfig}; every setting starts at its default. */
    public static final class Builder {
        private int batchSize = 512;
        private int maxEpochs = 200;
        private double learningRate = 3e-3;
        private double minLearningRate = 1e-5;
        private int warmupSteps = 100;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double gradientClipNorm = 5.0;
        private double validationFraction = 0.1;
        private int patience = 10;
        private double minImprovement = 1e-3;
        private double maxSeconds = 0;
        private long seed = 1L;
        private boolean fitScaler = true;
        private int threads = 1;
        private int maxRecordsPerEpoch = 0;
        private int maxValidationRecords = 0;
        private boolean budgetOnCpuTime = false;

        public Builder batchSize(int value) { this.batchSize = value; return this; }

        public Builder maxEpochs(int value) { this.maxEpochs = value; return this; }

        public Builder learningRate(double value) { this.learningRate = value; return this; }

        public Builder minLearningRate(double value) { this.minLearningRate = value; return this; }

        public Builder warmupSteps(int value) { this.warmupSteps = value; return this; }

        public Builder beta1(double value) { this.beta1 = value; return this; }

        public Builder beta2(double value) { this.beta2 = value; return this; }

        public Builder epsilon(double value) { this.epsilon = value; return this; }

        public Builder gradientClipNorm(double value) { this.gradientClipNorm = value; return this; }

        public Builder validationFraction(double value) { this.validationFraction = value; return this; }

        public Builder patience(int value) { this.patience = value; return this; }

        public Builder minImprovement(double value) { this.minImprovement = value; return this; }

        public Builder maxSeconds(double value) { this.maxSeconds = value; return this; }

        public Builder seed(long value) { this.seed = value; return this; }

        public Builder fitScaler(boolean value) { this.fitScaler = value; return this; }

        public Builder threads(int value) { this.threads = value; return this; }

        public Builder maxRecordsPerEpoch(int value) { this.maxRecordsPerEpoch = value; return this; }

        public Builder maxValidationRecords(int value) { this.maxValidationRecords = value; return this; }

        public Builder budgetOnCpuTime(boolean value) { this.budgetOnCpuTime = value; return this; }

        public TrainerConfig build() {
            return new TrainerConfig(batchSize, maxEpochs, learningRate, minLearningRate, warmupSteps, beta1, beta2,
                    epsilon, gradientClipNorm, validationFraction, patience, minImprovement, maxSeconds, seed,
                    fitScaler, threads, maxRecordsPerEpoch, maxValidationRecords, budgetOnCpuTime);
        }
    }
}
