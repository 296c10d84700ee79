package io.flowcast.bench.nab;

import io.flowcast.anomaly.nab.NabSeries;
import io.flowcast.anomaly.nab.ProbationaryPeriod;
import io.flowcast.anomaly.nab.ScoredSeries;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams each file through a fresh detector, one record at a time in file (time) order, and keeps the scores.
 * Only the {@code score} calls are timed, so throughput is the detector's own, not the CSV reading.
 */
public final class NabHarness {

    private NabHarness() {
    }

    public static DetectorRun stream(String detectorName, DetectorFactory factory, List<NabSeries> corpus) {
        List<ScoredSeries> output = new ArrayList<>(corpus.size());
        long records = 0;
        long nanos = 0;
        for (NabSeries series : corpus) {
            long[] time = series.timestampsMillis();
            double[] value = series.values();
            double[] scores = new double[series.size()];
            SeriesContext context = new SeriesContext(series.name(), ProbationaryPeriod.length(series.size()));
            try (StreamingDetector detector = factory.create(context)) {
                long start = System.nanoTime();
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = detector.score(time[i], value[i]);
                }
                nanos += System.nanoTime() - start;
            }
            records += scores.length;
            output.add(new ScoredSeries(series.name(), time, scores));
        }
        return new DetectorRun(detectorName, output, records, nanos);
    }
}
