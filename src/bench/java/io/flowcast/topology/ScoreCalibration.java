package io.flowcast.topology;

import io.flowcast.trajectory.PathForecaster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well the rapid update's scores stand in for the model's: for every position a configuration published as
 * {@code REWEIGHTED}, its kernel-density score against the exact score of the same position under the model run it
 * re-weights (log p(o_k | o_1..o_(k-1), history of that run), {@link PathForecaster#nextLogDensities}), computed
 * afterwards, outside the timed stage. Reported per configuration: Spearman's rank correlation, the mean absolute
 * difference and the mean difference (kernel minus exact), overall and by the effective sample size of the weights
 * the position was scored under (what the re-run threshold decides); and the mean log score of every position that
 * all configurations scored (the published score, exact or kernel: a proper scoring rule of the forecasts a
 * configuration serves, higher is better).
 */
final class ScoreCalibration {

    /** Lower edges of the ESS bins (of 20 samples): at or above 10 is what the default threshold 0.5 scores under. */
    private static final double[] ESS_BINS = {0, 4, 7, 10, 15};

    private ScoreCalibration() {
    }

    static Map<String, Object> of(Map<String, ForecastStageBench.Run> runs, PathForecaster chain) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Map<String, Double>> scoresByConfig = new LinkedHashMap<>();
        for (Map.Entry<String, ForecastStageBench.Run> entry : runs.entrySet()) {
            Map<String, Double> scores = new HashMap<>();
            Map<String, Object> row = calibrate(entry.getValue(), chain, scores);
            row.put("estimators", Estimators.compare(entry.getValue(), chain));
            out.put(entry.getKey(), row);
            scoresByConfig.put(entry.getKey(), scores);
        }
        // The positions every configuration scored: the same feed, so the same keys.
        List<String> common = null;
        for (Map<String, Double> scores : scoresByConfig.values()) {
            if (common == null) {
                common = new ArrayList<>(scores.keySet());
            } else {
                common.removeIf(key -> !scores.containsKey(key));
            }
        }
        if (common != null && !common.isEmpty()) {
            for (Map.Entry<String, Map<String, Double>> entry : scoresByConfig.entrySet()) {
                double sum = 0;
                for (String key : common) {
                    sum += entry.getValue().get(key);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> row = (Map<String, Object>) out.get(entry.getKey());
                row.put("positions_scored_by_all", common.size());
                row.put("mean_log_score_common", round(sum / common.size()));
            }
        }
        return out;
    }

    private static Map<String, Object> calibrate(ForecastStageBench.Run run, PathForecaster chain,
            Map<String, Double> scores) {
        Map<String, Map<Integer, float[]>> positions = Estimators.positionsByAgent(run);
        Map<String, Integer> lastRun = new HashMap<>();
        Map<String, Double> lastEss = new HashMap<>();
        List<float[]> histories = new ArrayList<>();
        List<float[]> since = new ArrayList<>();
        List<Double> kernel = new ArrayList<>();
        List<Double> essBefore = new ArrayList<>();
        for (int f = 0; f < run.published().size(); f++) {
            for (ForecastStage.Published published : run.published().get(f)) {
                ForecastRecord forecast = published.forecast();
                String agent = forecast.entityId();
                Double score = forecast.observedLogDensity();
                Integer last = lastRun.get(agent);
                if (score != null && Double.isFinite(score) && last != null) {
                    scores.put(agent + "@" + f, score);
                }
                if (forecast.update().equals(ForecastRecord.MODEL)) {
                    lastRun.put(agent, f);
                } else if (last != null && score != null) {
                    float[] history = Estimators.window(positions.get(agent), last - 7, last);
                    float[] observed = Estimators.window(positions.get(agent), last + 1, f);
                    if (history != null && observed != null) {
                        histories.add(history);
                        since.add(observed);
                        kernel.add(score);
                        essBefore.add(lastEss.getOrDefault(agent, 20.0));
                    }
                }
                lastEss.put(agent, forecast.effectiveSampleSize() == null ? 20.0 : forecast.effectiveSampleSize());
            }
        }
        double[] exact = histories.isEmpty() ? new double[0] : chain.nextLogDensities(histories, since);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("all", agreement(kernel, exact, essBefore, 0, Double.POSITIVE_INFINITY));
        for (int b = 0; b < ESS_BINS.length; b++) {
            double to = b + 1 < ESS_BINS.length ? ESS_BINS[b + 1] : Double.POSITIVE_INFINITY;
            Map<String, Object> bin = agreement(kernel, exact, essBefore, ESS_BINS[b], to);
            if ((long) bin.get("n") > 0) {
                row.put("ess_" + (int) ESS_BINS[b] + (Double.isInfinite(to) ? "+" : "_" + (int) to), bin);
            }
        }
        return row;
    }

    private static Map<String, Object> agreement(List<Double> kernel, double[] exact, List<Double> essBefore,
            double from, double to) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < kernel.size(); i++) {
            double ess = essBefore.get(i);
            if (ess >= from && ess < to && Double.isFinite(kernel.get(i)) && Double.isFinite(exact[i])) {
                pairs.add(new double[] {kernel.get(i), exact[i]});
            }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("n", (long) pairs.size());
        if (pairs.size() < 3) {
            return row;
        }
        double[] k = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] e = pairs.stream().mapToDouble(p -> p[1]).toArray();
        double abs = 0;
        double diff = 0;
        for (int i = 0; i < k.length; i++) {
            abs += Math.abs(k[i] - e[i]);
            diff += k[i] - e[i];
        }
        row.put("spearman", round(pearson(ranks(k), ranks(e))));
        row.put("mean_abs_diff", round(abs / k.length));
        row.put("mean_diff_kernel_minus_exact", round(diff / k.length));
        row.put("mean_kernel", round(Arrays.stream(k).average().orElse(Double.NaN)));
        row.put("mean_exact", round(Arrays.stream(e).average().orElse(Double.NaN)));
        return row;
    }

    /** Ranks with ties averaged. */
    static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[values.length];
        for (int i = 0; i < order.length;) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            for (int t = i; t <= j; t++) {
                ranks[order[t]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return ranks;
    }

    static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
