package io.flowcast.anomaly;

/**
 * The hysteresis of alert episodes and the grade bands of their severity.
 *
 * @param holdFactor    an open episode holds while the tail probability stays at or under {@code threshold *
 *                      holdFactor} (a lower grade than the one that opened it), so a score hovering around the
 *                      threshold does not open and close episodes record after record
 * @param closeAfter    an episode closes after this many consecutive records above the hold threshold
 * @param mediumGrade   peak grade from which an episode is MEDIUM (below: LOW)
 * @param highGrade     peak grade from which it is HIGH
 * @param criticalGrade peak grade from which it is CRITICAL
 */
public record AlertPolicy(double holdFactor, int closeAfter, double mediumGrade, double highGrade,
        double criticalGrade) {

    public AlertPolicy {
        if (!(holdFactor >= 1) || closeAfter < 1) {
            throw new IllegalArgumentException("need holdFactor >= 1 and closeAfter >= 1");
        }
        if (!(mediumGrade <= highGrade && highGrade <= criticalGrade && mediumGrade >= 0 && criticalGrade <= 1)) {
            throw new IllegalArgumentException("grade bands must rise within [0, 1]: " + mediumGrade + ", "
                    + highGrade + ", " + criticalGrade);
        }
    }

    /** Hold at 4 alpha, close after 5 normal records; MEDIUM from grade 0.999, HIGH 0.9999, CRITICAL 0.99999. */
    public static AlertPolicy defaults() {
        return new AlertPolicy(4, 5, 0.999, 0.9999, 0.99999);
    }

    public AlertSeverity severity(double peakGrade) {
        if (peakGrade >= criticalGrade) {
            return AlertSeverity.CRITICAL;
        }
        if (peakGrade >= highGrade) {
            return AlertSeverity.HIGH;
        }
        return peakGrade >= mediumGrade ? AlertSeverity.MEDIUM : AlertSeverity.LOW;
    }
}
