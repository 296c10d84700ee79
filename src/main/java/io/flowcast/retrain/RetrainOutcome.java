package io.flowcast.retrain;

/**
 * What one retraining of one stream came to.
 *
 * @param stream     the stream (model name)
 * @param result     promoted, rejected, failed, or skipped (too little data)
 * @param version    the candidate's version (0 when none was built)
 * @param reason     the gate's reason, or the failure
 * @param candidate  the candidate's evaluation (null when none was built)
 * @param live       the live model's evaluation on the same records (null without a live model)
 * @param seconds    wall time of the run
 * @param phases     wall seconds of each phase that ran, in order (split, train, export_calibrate, evaluate,
 *                   publish), and what the trainer did (epochs, steps, records_per_epoch, early_stopping_records)
 */
public record RetrainOutcome(String stream, Result result, int version, String reason, Evaluation candidate,
        Evaluation live, double seconds, java.util.Map<String, Double> phases) {

    public RetrainOutcome {
        phases = phases == null ? java.util.Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phases));
    }

    public RetrainOutcome(String stream, Result result, int version, String reason, Evaluation candidate,
            Evaluation live, double seconds) {
        this(stream, result, version, reason, candidate, live, seconds, java.util.Map.of());
    }

    public enum Result {
        PROMOTED, REJECTED, FAILED, SKIPPED;

        /** The metric label. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
