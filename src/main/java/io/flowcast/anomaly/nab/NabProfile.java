package io.flowcast.anomaly.nab;

/**
 * NAB's application profiles ({@code config/profiles.json}): how much a true positive earns and what a false
 * positive or a missed window costs. {@code tnWeight} is left out because NAB never uses it.
 */
public enum NabProfile {
    STANDARD("standard", "standard", 1.0, 0.11, 1.0),
    REWARD_LOW_FP_RATE("reward_low_FP_rate", "low_fp", 1.0, 0.22, 1.0),
    REWARD_LOW_FN_RATE("reward_low_FN_rate", "low_fn", 1.0, 0.11, 2.0);

    private final String nabName;
    private final String shortName;
    private final double tpWeight;
    private final double fpWeight;
    private final double fnWeight;

    NabProfile(String nabName, String shortName, double tpWeight, double fpWeight, double fnWeight) {
        this.nabName = nabName;
        this.shortName = shortName;
        this.tpWeight = tpWeight;
        this.fpWeight = fpWeight;
        this.fnWeight = fnWeight;
    }

    /** The profile's name in NAB's results ({@code reward_low_FP_rate}). */
    public String nabName() {
        return nabName;
    }

    /** A short key for reports and JSON ({@code standard}, {@code low_fp}, {@code low_fn}). */
    public String shortName() {
        return shortName;
    }

    public double tpWeight() {
        return tpWeight;
    }

    public double fpWeight() {
        return fpWeight;
    }

    public double fnWeight() {
        return fnWeight;
    }
}
