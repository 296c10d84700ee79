package io.flowcast.bench.nab;

import io.flowcast.anomaly.nab.ScoredSeries;
import java.util.List;

/**
 * One detector's scores on every file, the time spent inside its {@code score} calls summed over files, and the wall
 * time of the whole run (less than the sum when files run in parallel).
 */
public record DetectorRun(String detector, List<ScoredSeries> output, long records, long detectorNanos,
        long wallNanos) {

    public double recordsPerSecond() {
        return detectorNanos == 0 ? Double.NaN : records * 1e9 / detectorNanos;
    }
}
