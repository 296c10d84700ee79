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
 */
public record RetrainOutcome(String stream, Result result, int version, String reason, Evaluation candidate,
        Evaluation live, double seconds) {

    public enum Result {
        PROMOTED, REJECTED, FAILED, SKIPPED;

        /** The metric label. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
