package io.flowcast.bench.ethucy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The printed table, the published reference rows, and the JSON figures. */
final class EthUcyTable {

    private static final List<String> MEAN_SCENES = List.of("eth", "hotel", "univ", "zara1", "zara2");

    private EthUcyTable() {
    }

    static void printScene(String scene, Map<String, SceneMetrics> results) {
        for (Map.Entry<String, SceneMetrics> entry : results.entrySet()) {
            if (entry.getKey().equals(scene) || entry.getKey().equals(scene + "_plain")) {
                System.out.println(row(entry.getKey(), entry.getValue()));
            }
        }
    }

    static void print(Map<String, SceneMetrics> results, Map<String, Object> json) {
        System.out.println();
        System.out.println("ETH/UCY leave-one-scene-out, metres; best-of-20 = min over 20 samples of each metric;"
                + " joint = the FDE of the best-ADE sample; ML = most likely path; NLL = mean over 12 horizons of"
                + " -log p(true position at h), nats (flow: exact, from the horizon's marginal flow);"
                + " eth uses the 0.6 scale convention, eth_plain does not");
        System.out.println(header());
        for (Map.Entry<String, SceneMetrics> entry : results.entrySet()) {
            System.out.println(row(entry.getKey(), entry.getValue()));
        }
        System.out.printf("%-10s %6.3f/%-6.3f %6.3f/%-6.3f %6.3f/%-6.3f %7.3f %7s %7s %6.3f/%-6.3f %6.3f/%-6.3f%n",
                "mean", num(json, "mean_ade20"), num(json, "mean_fde20"), num(json, "mean_ade20_joint"),
                num(json, "mean_fde20_joint"), num(json, "mean_ade_ml"), num(json, "mean_fde_ml"),
                num(json, "mean_nll"), fmt(num(json, "mean_joint_nll_per_step")), fmt(num(json, "cvg_mean_nll")),
                num(json, "cv_mean_ade"), num(json, "cv_mean_fde"), num(json, "cv_mean_ade20"),
                num(json, "cv_mean_fde20"));
        System.out.println();
        System.out.println("published (mean over the five scenes):");
        System.out.println("  Trajectron++ best-of-20      0.32/0.55 after its derivative-leak fix (0.195/0.41 as"
                + " first published, with the leak)");
        System.out.println("  constant velocity            0.53/1.15 as computed on this data");
        System.out.println("  FlowChain rapid update       under 1 ms per update (GPU)");
        System.out.println("  targets                      best-of-20 <= 0.25/0.45; NLL below CV+Gaussian;"
                + " update < 50 us; forecast < 1 ms per agent");
        System.out.println();
        System.out.printf("timings (wall / CPU of the calling thread, us per agent): forecast %.1f / %.1f (fused"
                + " chain graph, one call per frame, ONNX Runtime, 1 thread); rapid update median %.2f us, p99 %.2f us"
                + " per agent%n", num(json, "forecast_us_per_agent"), num(json, "forecast_cpu_us_per_agent"),
                num(json, "update_us_median"), num(json, "update_us_p99"));
        System.out.printf("  same frames both ways: fused %.1f / %.1f vs one session per flow %.1f / %.1f;"
                + " pooled to >= %d agents per call: %.1f / %.1f; density grids (%dx%d, 12 horizons): %.1f / %.1f%n",
                num(json, "forecast_us_per_agent_paired_fused"), num(json, "forecast_cpu_us_per_agent_paired_fused"),
                num(json, "forecast_us_per_agent_paired_stepwise"),
                num(json, "forecast_cpu_us_per_agent_paired_stepwise"), SceneEvaluator.POOLED_AGENTS,
                num(json, "forecast_us_per_agent_pooled"), num(json, "forecast_cpu_us_per_agent_pooled"),
                SceneEvaluator.GRID_CELLS, SceneEvaluator.GRID_CELLS, num(json, "grid_us_per_agent"),
                num(json, "grid_cpu_us_per_agent"));
        System.out.printf("rapid update after one step, ADE of steps 2-12 of the most likely path: stale %.3f,"
                + " updated %.3f%n", num(json, "mean_ml_ade_stale_after_1"), num(json, "mean_ml_ade_updated_after_1"));
    }

    private static String header() {
        return String.format("%-10s %13s %13s %13s %7s %7s %7s %13s %13s", "scene", "ADE/FDE@20", "joint@20",
                "ML ADE/FDE", "NLL", "jNLL/st", "CVG NLL", "CV ADE/FDE", "CV@20 (ang)");
    }

    private static String row(String name, SceneMetrics m) {
        return String.format("%-10s %6.3f/%-6.3f %6.3f/%-6.3f %6.3f/%-6.3f %7.3f %7.3f %7.3f %6.3f/%-6.3f %6.3f/%-6.3f",
                name, m.distance(m.ade20), m.distance(m.fde20), m.distance(m.jointAde20), m.distance(m.jointFde20),
                m.distance(m.adeMl), m.distance(m.fdeMl), m.meanNll(), m.meanConditionalNll(), m.meanCvGaussianNll(),
                m.distance(m.cvAde), m.distance(m.cvFde), m.distance(m.cvAde20), m.distance(m.cvFde20));
    }

    static Map<String, Object> json(Map<String, SceneMetrics> results, Map<String, Double> trainSeconds,
            List<Long> updateNanos, int maxWindows, double flowSeconds) {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Double> sums = new LinkedHashMap<>();
        int meaned = 0;
        Map<String, SceneMetrics.Timing> totals = new LinkedHashMap<>();
        for (Map.Entry<String, SceneMetrics> entry : results.entrySet()) {
            String s = entry.getKey();
            SceneMetrics m = entry.getValue();
            Map<String, Double> scene = new LinkedHashMap<>();
            scene.put("ade20", m.distance(m.ade20));
            scene.put("fde20", m.distance(m.fde20));
            scene.put("ade20_joint", m.distance(m.jointAde20));
            scene.put("fde20_joint", m.distance(m.jointFde20));
            scene.put("ade_ml", m.distance(m.adeMl));
            scene.put("fde_ml", m.distance(m.fdeMl));
            scene.put("nll", m.meanNll());
            scene.put("joint_nll_per_step", m.meanConditionalNll());
            scene.put("cvg_nll", m.meanCvGaussianNll());
            scene.put("cv_ade", m.distance(m.cvAde));
            scene.put("cv_fde", m.distance(m.cvFde));
            scene.put("cv_ade20", m.distance(m.cvAde20));
            scene.put("cv_fde20", m.distance(m.cvFde20));
            scene.put("ml_ade_stale_after_1", m.distance(m.staleAdeAfterUpdate));
            scene.put("ml_ade_updated_after_1", m.distance(m.updatedAdeAfterUpdate));
            scene.put("anomaly_score_kernel_mean", -m.nll(-m.anomalyScoreKernel));
            scene.put("anomaly_score_exact_mean", -m.nll(-m.anomalyScoreExact));
            timings(m).forEach((name, timing) -> {
                scene.put(name, timing.wallMicrosPerAgent());
                scene.put(name.replace("_us_", "_cpu_us_"), timing.cpuMicrosPerAgent());
            });
            scene.put("agents_per_frame", m.agentsPerFrame());
            scene.forEach((k, v) -> json.put(s + "_" + k, number(v)));
            double[] perHorizon = new double[m.horizons];
            double[] cvgPerHorizon = new double[m.horizons];
            for (int h = 0; h < m.horizons; h++) {
                perHorizon[h] = round(m.nll(m.nll[h]));
                cvgPerHorizon[h] = round(m.nll(m.cvGaussianNll[h]));
            }
            json.put(s + "_nll_per_horizon", perHorizon);
            json.put(s + "_cvg_nll_per_horizon", cvgPerHorizon);
            json.put(s + "_test_windows", m.windows);
            if (trainSeconds.containsKey(s)) {
                json.put(s + "_train_s", round(trainSeconds.get(s)));
            }
            if (MEAN_SCENES.contains(s)) {
                meaned++;
                scene.forEach((k, v) -> sums.merge(k, v, Double::sum));
                timings(m).forEach((name, timing) ->
                        totals.computeIfAbsent(name, k -> new SceneMetrics.Timing()).add(timing));
            }
        }
        if (meaned > 0) {
            for (Map.Entry<String, Double> entry : sums.entrySet()) {
                String key = entry.getKey();
                String name = key.startsWith("cv_") ? "cv_mean_" + key.substring(3)
                        : key.startsWith("cvg_") ? "cvg_mean_" + key.substring(4) : "mean_" + key;
                json.put(name, number(entry.getValue() / meaned));
            }
        }
        json.put("scenes_in_mean", meaned);
        long[] sorted = updateNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        json.put("update_us_median", sorted.length == 0 ? null : round(percentile(sorted, 0.5) / 1e3));
        json.put("update_us_p99", sorted.length == 0 ? null : round(percentile(sorted, 0.99) / 1e3));
        json.put("update_count", sorted.length);
        totals.forEach((name, timing) -> {
            json.put(name, number(timing.wallMicrosPerAgent()));
            json.put(name.replace("_us_", "_cpu_us_"), number(timing.cpuMicrosPerAgent()));
        });
        json.put("grid_cells", SceneEvaluator.GRID_CELLS);
        json.put("timing_note", "all over the scenes in the mean, total time / total agents, CPU, ONNX Runtime, one"
                + " thread; forecast_us_per_agent: the fused chain graph, one call per frame (batch = all agents of"
                + " a frame, the issue's definition), 20 samples + the zero-code path per agent, read-out included;"
                + " paired_*: every " + SceneEvaluator.SIDE_TIMING_EVERY + "th frame timed both ways (fused graph vs"
                + " one session per flow: 24 calls per frame), each right after an untimed run of itself (warm); pooled: the fused graph over"
                + " consecutive frames' agents batched to at least " + SceneEvaluator.POOLED_AGENTS + " agents per"
                + " call (not the issue's definition); grid: density grids of " + SceneEvaluator.GRID_CELLS + "x"
                + SceneEvaluator.GRID_CELLS + " cells at all 12 horizons for all agents of a frame, one call, every "
                + SceneEvaluator.GRID_EVERY + "th frame; *_cpu_us_*: the calling thread's CPU time (ONNX Runtime"
                + " runs on it), which leaves out what other processes took from a loaded machine");
        json.put("training_windows_max", maxWindows);
        json.put("training_seconds_per_step_flow_max", flowSeconds);
        json.put("eth_convention", "eth_* and the means: ETH test positions x0.6 before inference, errors /0.6,"
                + " NLL in original metres; eth_plain_*: no rescaling");
        json.put("nll_note", "nll: mean over horizons of -log p(true position at h | history), exact, from the"
                + " horizon's marginal flow p(u_h | history);"
                + " joint_nll_per_step: exact joint -log p(whole future | history) / 12; cvg: constant velocity +"
                + " fitted Gaussian per horizon");
        return json;
    }

    /** The timed sections by their JSON name (wall time; the CPU-time name has _cpu_us_). */
    private static Map<String, SceneMetrics.Timing> timings(SceneMetrics m) {
        Map<String, SceneMetrics.Timing> timings = new LinkedHashMap<>();
        timings.put("forecast_us_per_agent", m.forecast);
        timings.put("forecast_us_per_agent_paired_fused", m.pairedFused);
        timings.put("forecast_us_per_agent_paired_stepwise", m.stepwise);
        timings.put("forecast_us_per_agent_pooled", m.pooled);
        timings.put("grid_us_per_agent", m.grid);
        return timings;
    }

    private static double percentile(long[] sorted, double q) {
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[index];
    }

    private static double num(Map<String, Object> json, String key) {
        Object value = json.get(key);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String fmt(double v) {
        return String.format("%7.3f", v);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10000) / 10000.0 : Double.NaN;
    }

    /** JSON has no NaN: an absent figure is null. */
    private static Double number(double v) {
        return Double.isFinite(v) ? round(v) : null;
    }
}
