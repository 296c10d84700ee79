package io.flowcast.anomaly.nab;

/**
 * The leading records of each file that NAB leaves out of scoring so a detector can learn:
 * {@code min(floor(0.15 * N), 0.15 * 5000)}, i.e. 15 % of the file but never more than 750 records.
 */
public final class ProbationaryPeriod {

    static final double FRACTION = 0.15;
    private static final int MAX_RECORDS = 750;

    private ProbationaryPeriod() {
    }

    /** Number of probationary records in a file of {@code records} records (computed in doubles, as NAB does). */
    public static int length(int records) {
        return (int) Math.min(Math.floor(FRACTION * records), MAX_RECORDS);
    }
}
