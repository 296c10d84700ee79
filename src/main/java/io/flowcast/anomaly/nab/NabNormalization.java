package io.flowcast.anomaly.nab;

/**
 * NAB's normalisation ({@code runner.normalize}): 100 * (raw - raw_null) / (raw_perfect - raw_null), where the null
 * detector misses every window (raw_null = -A_FN * windows) and the perfect one finds each on its first record with
 * no false positive (raw_perfect = A_TP * windows). Undefined (NaN) without windows.
 */
public final class NabNormalization {

    private NabNormalization() {
    }

    public static double nullScore(NabProfile profile, int windows) {
        return -profile.fnWeight() * windows;
    }

    public static double perfectScore(NabProfile profile, int windows) {
        return profile.tpWeight() * windows;
    }

    public static double normalize(NabProfile profile, int windows, double rawScore) {
        if (windows == 0) {
            return Double.NaN;
        }
        double nullScore = nullScore(profile, windows);
        return 100.0 * (rawScore - nullScore) / (perfectScore(profile, windows) - nullScore);
    }
}
