package io.flowcast.topology;

import io.flowcast.trajectory.PathForecaster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Other estimators of a position's density from the same weighted samples, against the exact score: each position
 * whose agent published a forecast at the frame before is scored from that forecast's samples and weights (its
 * first remaining step) by the weighted Gaussian-kernel density at c times Scott's bandwidth (c = 1 is what the
 * stage publishes) and by the Gaussian of the kernel mixture's moments (the published mean and covariance); the
 * exact score is the model's teacher-forced density of the position given the history of the run the forecast
 * came from and the positions since. Also the effective sample size the re-weighting by that kernel would leave
 * (what decides the next model run). Offline analysis, nothing here is timed.
 */
final class Estimators {

    private static final double[] FACTORS = {1.0, 1.5, 2.0, 3.0};
    private static final double MIN_BANDWIDTH = 0.05;

    private Estimators() {
    }

    static Map<String, Object> compare(ForecastStageBench.Run run, PathForecaster chain) {
        Map<String, Map<Integer, float[]>> positions = positionsByAgent(run);
        Map<String, ForecastRecord> previous = new HashMap<>();
        Map<String, Integer> lastRun = new HashMap<>();
        List<float[]> histories = new ArrayList<>();
        List<float[]> since = new ArrayList<>();
        List<double[]> estimates = new ArrayList<>();
        for (int f = 0; f < run.published().size(); f++) {
            Map<String, ForecastRecord> now = new HashMap<>();
            for (ForecastStage.Published published : run.published().get(f)) {
                ForecastRecord forecast = published.forecast();
                String agent = forecast.entityId();
                ForecastRecord before = previous.get(agent);
                Integer last = lastRun.get(agent);
                float[] o = positions.get(agent).get(f);
                if (before != null && last != null && o != null) {
                    float[] history = window(positions.get(agent), last - 7, last);
                    float[] observed = window(positions.get(agent), last + 1, f);
                    if (history != null && observed != null) {
                        histories.add(history);
                        since.add(observed);
                        estimates.add(estimate(before, o[0], o[1]));
                    }
                }
                if (forecast.update().equals(ForecastRecord.MODEL)) {
                    lastRun.put(agent, f);
                }
                now.put(agent, forecast);
            }
            previous = now; // only a forecast of the frame just before scores a position
        }
        double[] exact = histories.isEmpty() ? new double[0] : chain.nextLogDensities(histories, since);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("positions", estimates.size());
        out.put("mean_exact", round(mean(exact, null)));
        for (int e = 0; e <= FACTORS.length; e++) {
            String name = e < FACTORS.length ? "kernel_x" + FACTORS[e] : "moment_gaussian";
            double[] values = new double[estimates.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = estimates.get(i)[e];
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mean_score", round(mean(values, exact)));
            row.put("spearman_vs_exact", round(spearman(values, exact)));
            row.put("mean_abs_diff", round(meanAbsDiff(values, exact)));
            if (e < FACTORS.length) {
                double[] ess = new double[estimates.size()];
                int under = 0;
                for (int i = 0; i < ess.length; i++) {
                    ess[i] = estimates.get(i)[FACTORS.length + 1 + e];
                    under += ess[i] < 10 ? 1 : 0;
                }
                row.put("mean_ess_after", round(mean(ess, null)));
                row.put("share_ess_after_under_10", round(under / (double) Math.max(1, ess.length)));
            }
            out.put(name, row);
        }
        return out;
    }

    /** [kernel score per factor..., moment Gaussian score, ESS after per factor...]. */
    private static double[] estimate(ForecastRecord before, double x, double y) {
        float[][][] samples = before.samples();
        int n = samples.length;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = before.sampleWeights() == null ? 1.0 / n : before.sampleWeights()[i];
        }
        double ess = 0;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            ess += w[i] * w[i];
            mx += w[i] * samples[i][0][0];
            my += w[i] * samples[i][0][1];
        }
        ess = 1 / ess;
        double variance = 0;
        for (int i = 0; i < n; i++) {
            double dx = samples[i][0][0] - mx;
            double dy = samples[i][0][1] - my;
            variance += w[i] * (dx * dx + dy * dy);
        }
        double scott = Math.sqrt(variance / 2) * Math.pow(Math.max(ess, 1), -1.0 / 6);
        double[] out = new double[2 * FACTORS.length + 1];
        for (int e = 0; e < FACTORS.length; e++) {
            double bw = Math.max(MIN_BANDWIDTH, FACTORS[e] * scott);
            double sum = 0;
            double[] next = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                double dx = x - samples[i][0][0];
                double dy = y - samples[i][0][1];
                double k = Math.exp(-0.5 * (dx * dx + dy * dy) / (bw * bw)) / (2 * Math.PI * bw * bw);
                sum += w[i] * k;
                next[i] = w[i] * k;
                total += next[i];
            }
            out[e] = Math.log(sum);
            double squares = 0;
            for (int i = 0; i < n; i++) {
                squares += (next[i] / total) * (next[i] / total);
            }
            out[FACTORS.length + 1 + e] = total > 0 ? 1 / squares : 0;
        }
        ForecastRecord.Horizon h = before.horizons().get(0);
        double a = h.covariance()[0][0];
        double b = h.covariance()[0][1];
        double c = h.covariance()[1][1];
        double det = a * c - b * b;
        double dx = x - h.mean()[0];
        double dy = y - h.mean()[1];
        double quad = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
        out[FACTORS.length] = -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * quad;
        return out;
    }

    /** Each agent's (x, y) per frame of the run's walk. */
    static Map<String, Map<Integer, float[]>> positionsByAgent(ForecastStageBench.Run run) {
        Map<String, Map<Integer, float[]>> positions = new HashMap<>();
        for (int f = 0; f < run.walk().size(); f++) {
            for (PendingRecord record : run.walk().get(f)) {
                Observation o = record.observation();
                positions.computeIfAbsent(o.entityId(), k -> new HashMap<>()).put(f, new float[] {
                        o.features().get("x").floatValue(), o.features().get("y").floatValue()});
            }
        }
        return positions;
    }

    /** Positions of frames [from, to], x, y interleaved; null if the agent missed one. */
    static float[] window(Map<Integer, float[]> byFrame, int from, int to) {
        if (byFrame == null || from > to) {
            return null;
        }
        float[] out = new float[2 * (to - from + 1)];
        for (int f = from; f <= to; f++) {
            float[] p = byFrame.get(f);
            if (p == null) {
                return null;
            }
            out[2 * (f - from)] = p[0];
            out[2 * (f - from) + 1] = p[1];
        }
        return out;
    }

    /** Mean of the finite values (where {@code alongside} is finite too, if given). */
    private static double mean(double[] values, double[] alongside) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i]) && (alongside == null || Double.isFinite(alongside[i]))) {
                sum += values[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double meanAbsDiff(double[] a, double[] b) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.isFinite(a[i]) && Double.isFinite(b[i])) {
                sum += Math.abs(a[i] - b[i]);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double spearman(double[] a, double[] b) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            if (Double.isFinite(a[i]) && Double.isFinite(b[i])) {
                pairs.add(new double[] {a[i], b[i]});
            }
        }
        if (pairs.size() < 3) {
            return Double.NaN;
        }
        return ScoreCalibration.pearson(ScoreCalibration.ranks(pairs.stream().mapToDouble(p -> p[0]).toArray()),
                ScoreCalibration.ranks(pairs.stream().mapToDouble(p -> p[1]).toArray()));
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
