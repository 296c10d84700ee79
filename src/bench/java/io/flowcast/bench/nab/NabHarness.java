package io.flowcast.bench.nab;

import io.flowcast.anomaly.nab.NabSeries;
import io.flowcast.anomaly.nab.ProbationaryPeriod;
import io.flowcast.anomaly.nab.ScoredSeries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Streams each file through a fresh detector, one record at a time in file (time) order, and keeps the scores.
 * Only the {@code score} calls are timed, so throughput is the detector's own, not the CSV reading.
 *
 * <p>Files are independent (a fresh detector each), so several may run at once ({@code threads}); within a file
 * records are strictly sequential. Throughput is then records per second of one stream: records over the summed
 * per-file time.
 */
public final class NabHarness {

    private NabHarness() {
    }

    public static DetectorRun stream(String detectorName, DetectorFactory factory, List<NabSeries> corpus) {
        return stream(detectorName, factory, corpus, 1);
    }

    public static DetectorRun stream(String detectorName, DetectorFactory factory, List<NabSeries> corpus,
            int threads) {
        record FileRun(ScoredSeries scored, long nanos) {
        }
        long wallStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<FileRun>> futures = new ArrayList<>(corpus.size());
            for (int i = 0; i < corpus.size(); i++) {
                futures.add(null);
            }
            // Longest files first, so the last one to finish is a short one.
            IntStream.range(0, corpus.size()).boxed()
                    .sorted(Comparator.comparingInt((Integer i) -> corpus.get(i).size()).reversed())
                    .forEach(i -> futures.set(i, pool.submit(() -> {
                        NabSeries series = corpus.get(i);
                        long[] time = series.timestampsMillis();
                        double[] value = series.values();
                        double[] scores = new double[series.size()];
                        SeriesContext context = new SeriesContext(series.name(),
                                ProbationaryPeriod.length(series.size()));
                        long nanos;
                        try (StreamingDetector detector = factory.create(context)) {
                            long start = System.nanoTime();
                            for (int r = 0; r < scores.length; r++) {
                                scores[r] = detector.score(time[r], value[r]);
                            }
                            nanos = System.nanoTime() - start;
                        }
                        return new FileRun(new ScoredSeries(series.name(), time, scores), nanos);
                    })));
            List<ScoredSeries> output = new ArrayList<>(corpus.size());
            long records = 0;
            long nanos = 0;
            for (Future<FileRun> future : futures) {
                FileRun run = future.get();
                output.add(run.scored());
                records += run.scored().scores().length;
                nanos += run.nanos();
            }
            return new DetectorRun(detectorName, output, records, nanos, System.nanoTime() - wallStart);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while streaming " + detectorName, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(detectorName + " failed on a file", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
