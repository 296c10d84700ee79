package io.flowcast.bench.nab;

import io.flowcast.anomaly.nab.ScoredSeries;
import java.util.List;

/** One detector's scores on every file, and the time spent inside its {@code score} calls. */
public record DetectorRun(String detector, List<ScoredSeries> output, long records, long detectorNanos) {

    public double recordsPerSecond() {
        return detectorNanos == 0 ? Double.NaN : records * 1e9 / detectorNanos;
    }
}
