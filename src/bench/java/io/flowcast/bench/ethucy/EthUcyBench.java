package io.flowcast.bench.ethucy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowcast.bench.Benchmark;
import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.serving.SessionSettings;
import io.flowcast.trajectory.ChainGraphs;
import io.flowcast.trajectory.ChainLayout;
import io.flowcast.trajectory.CodeSampler;
import io.flowcast.trajectory.SpeedScale;
import io.flowcast.trajectory.ConstantVelocityGaussian;
import io.flowcast.trajectory.FlowChain;
import io.flowcast.trajectory.FlowChainForecaster;
import io.flowcast.trajectory.FlowChainTrainer;
import io.flowcast.trajectory.ForecastState;
import io.flowcast.trajectory.OnnxChainSession;
import io.flowcast.trajectory.OnnxStepDensity;
import io.flowcast.trajectory.RapidUpdateConfig;
import io.flowcast.trajectory.SceneSplit;
import io.flowcast.trajectory.TrajectoryForecast;
import io.flowcast.trajectory.TrajectoryWindow;
import io.flowcast.trajectory.WindowSlicer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ETH/UCY leave-one-scene-out: for each of the five scenes, train the flow chain on the other four (their train and
 * val folders pooled; the trainer holds out 10% of those windows for early stopping), serve it through ONNX Runtime
 * and evaluate on the held-out scene, beside the constant-velocity baselines.
 *
 * <p>ETH convention: as MID and FlowChain, ETH test positions are multiplied by 0.6 before inference and the errors
 * divided by 0.6 (the sgan ETH file's time step is probably ~0.67 s, not 0.4 s); the means over scenes use it. The
 * plain variant (Trajectron++'s) is reported beside it as eth_plain.
 *
 * <p>Settings from the environment (all optional): ETHUCY_SCENES (comma list), ETHUCY_MAX_WINDOWS (training
 * windows per scene, default 10000), ETHUCY_FLOW_SECONDS (wall-clock cap per flow, 24 flows per scene; default 0:
 * none, training is bound by epochs alone, so its result does not depend on the machine's load), ETHUCY_EPOCHS
 * (default 6; the cosine learning-rate schedule spans them), ETHUCY_TEST_FRAMES (test frames evaluated per scene, the first ones; default all),
 * ETHUCY_FORECAST_GRAPH (sampling, the served graph, or generic: the flow math recorded operation by operation, for
 * before/after timings), ETHUCY_SPEED_AUGMENT (a > 1: train on the windows plus a copy of each rescaled by a
 * factor log-uniform in [1/a, a]; default off), ETHUCY_SPEED_SCALE (the local unit: "off" for metres, or the minimum
 * scale m of a {@link SpeedScale} whose reference step is the training pool's median step; default 1: walkers
 * faster than the median are shrunk to it), ETHUCY_CODES (the base codes: antithetic, iid, stratified or
 * antithetic+stratified, the default, see {@link CodeSampler}; a comma list evaluates each on the same trained chain, the first
 * giving the scene's row), ETHUCY_TEMPERATURE (code scale, default 1), ETHUCY_MIRROR_AUGMENT (1: add every training window mirrored), ETHUCY_HIDDEN (conditioner
 * width, default 32), ETHUCY_LAYERS (conditioner depth, default 2), ETHUCY_BATCH (training batch, records, default 128:
 * 6 epochs of 9000 windows make ~420 optimizer steps per flow),
 * ETHUCY_WARMUP (learning-rate warm-up steps, default 50), ETHUCY_LR (default 3e-3), ETHUCY_SPLIT (test, or validation: train on train/ only and
 * evaluate on val/, the other four scenes' later parts, to choose settings without the test scene).
 */
public final class EthUcyBench implements Benchmark {

    static final double ETH_SCALE = 0.6;
    private static final int SAMPLES = 20;

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        List<String> scenes = Arrays.asList(env("ETHUCY_SCENES", String.join(",", SceneSplit.SCENES)).split(","));
        int maxWindows = Integer.parseInt(env("ETHUCY_MAX_WINDOWS", "10000"));
        double flowSeconds = Double.parseDouble(env("ETHUCY_FLOW_SECONDS", "0"));
        int epochs = Integer.parseInt(env("ETHUCY_EPOCHS", "6"));
        int testFrames = Integer.parseInt(env("ETHUCY_TEST_FRAMES", Integer.toString(Integer.MAX_VALUE)));
        boolean genericForecast = env("ETHUCY_FORECAST_GRAPH", "sampling").equals("generic");
        double speedAugment = Double.parseDouble(env("ETHUCY_SPEED_AUGMENT", "1"));
        boolean mirrorAugment = env("ETHUCY_MIRROR_AUGMENT", "0").equals("1");
        String speedScale = env("ETHUCY_SPEED_SCALE", "1");
        double temperature = Double.parseDouble(env("ETHUCY_TEMPERATURE", "1"));
        // The first sampler gives the scene's figures; any further ones are evaluated on the same trained chain
        // (rows "scene/name"), so code samplers compare without a training's noise between them.
        List<String> codeNames = Arrays.asList(env("ETHUCY_CODES", "antithetic+stratified").split(","));
        List<CodeSampler> samplers = new ArrayList<>();
        for (String name : codeNames) {
            samplers.add(codeSampler(name.trim(), temperature));
        }
        CodeSampler codes = samplers.get(0);
        int layers = Integer.parseInt(env("ETHUCY_LAYERS", "2"));
        boolean validation = env("ETHUCY_SPLIT", "test").equals("validation");
        int hidden = Integer.parseInt(env("ETHUCY_HIDDEN", "32"));
        double learningRate = Double.parseDouble(env("ETHUCY_LR", "3e-3"));
        System.out.printf("settings: split=%s windows=%d flowSeconds=%.1f epochs=%d hidden=%d layers=%d lr=%.4f"
                + " speedScale=%s speedAugment=%.2f mirror=%b codes=%s%n", validation ? "validation" : "test",
                maxWindows, flowSeconds, epochs, hidden, layers, learningRate, speedScale, speedAugment, mirrorAugment,
                codeNames);
        int batchSize = Integer.parseInt(env("ETHUCY_BATCH", "128"));
        int warmupSteps = Integer.parseInt(env("ETHUCY_WARMUP", "50"));
        System.out.printf("training: batch=%d warmupSteps=%d%n", batchSize, warmupSteps);
        TrainerConfig trainer = TrainerConfig.builder().batchSize(batchSize).maxEpochs(epochs)
                .learningRate(learningRate).warmupSteps(warmupSteps).patience(5).maxSeconds(flowSeconds).validationFraction(0.1).seed(7).build();
        SessionSettings sessions = new SessionSettings(1, SessionSettings.DEFAULT_MAX_BATCH_ROWS);
        warmUpRapidUpdate(ChainLayout.standard().futureSteps());

        Map<String, SceneMetrics> results = new LinkedHashMap<>();
        Map<String, Double> trainSeconds = new LinkedHashMap<>();
        List<Long> updateNanos = new ArrayList<>();
        for (String scene : scenes) {
            SceneSplit split = SceneSplit.load(dataDir, scene, WindowSlicer.standard());
            // Validation mode: train on train/ alone and evaluate on val/ (the other four scenes' later parts), so
            // that settings are chosen without the test scene.
            List<TrajectoryWindow> pool = new ArrayList<>(split.train());
            if (!validation) {
                pool.addAll(split.validation());
            }
            List<TrajectoryWindow> evaluated = validation ? split.validation() : split.test();
            System.out.printf("== %s: %d training windows, %d %s windows, %d skipped lines%n", scene, pool.size(),
                    evaluated.size(), validation ? "validation" : "test", split.skippedLines());
            ConstantVelocityGaussian cvGaussian = ConstantVelocityGaussian.fit(pool);
            ChainLayout layout = layoutFor(speedScale, pool);
            System.out.println("  " + scene + " " + layout);
            long start = System.nanoTime();
            List<TrajectoryWindow> training = speedAugment > 1
                    ? withRescaledCopies(pool, speedAugment, scene.hashCode()) : pool;
            if (mirrorAugment) {
                training = withMirroredCopies(training);
            }
            FlowChain chain = new FlowChainTrainer(layout, FlowChainTrainer.defaultFlow().hiddenWidth(hidden)
                    .hiddenLayers(layers),
                    trainer, maxWindows, line -> System.out.println("  " + scene + " " + line)).train(training);
            trainSeconds.put(scene, (System.nanoTime() - start) / 1e9);
            FlowChain.Artifacts artifacts = chain.export("eth-ucy-" + scene, "bench");
            try (FlowChainForecaster forecaster = new FlowChainForecaster(layout,
                    OnnxChainSession.open(genericForecast
                            ? new ChainGraphs(chain).exportGeneric("eth-ucy-" + scene, "bench")
                            : new ChainGraphs(chain).export("eth-ucy-" + scene, "bench")), SAMPLES, codes);
                    FlowChainForecaster stepwise = new FlowChainForecaster(layout,
                            OnnxStepDensity.openAll(artifacts.steps(), sessions),
                            OnnxStepDensity.openAll(artifacts.marginals(), sessions), SAMPLES)) {
                SceneEvaluator evaluator = new SceneEvaluator(forecaster, stepwise, cvGaussian, updateNanos,
                        testFrames, !validation);
                boolean eth = scene.equals("eth") && !validation;
                results.put(scene, evaluator.evaluate(evaluated, eth ? ETH_SCALE : 1.0, scene.hashCode()));
                if (eth) {
                    results.put("eth_plain", evaluator.evaluate(split.test(), 1.0, scene.hashCode()));
                }
            }
            for (int k = 1; k < samplers.size(); k++) {
                try (FlowChainForecaster other = new FlowChainForecaster(layout, OnnxChainSession.open(
                        new ChainGraphs(chain).export("eth-ucy-" + scene, "bench")), SAMPLES, samplers.get(k))) {
                    boolean eth = scene.equals("eth") && !validation;
                    results.put(scene + "/" + codeNames.get(k).trim(), new SceneEvaluator(other, other, cvGaussian,
                            new ArrayList<>(), testFrames, false).evaluate(evaluated, eth ? ETH_SCALE : 1.0,
                            scene.hashCode()));
                }
            }
            EthUcyTable.printScene(scene, results);
        }
        Map<String, Object> json = EthUcyTable.json(results, trainSeconds, updateNanos, maxWindows, flowSeconds);
        EthUcyTable.print(results, json);
        Files.createDirectories(outDir);
        Path file = outDir.resolve("eth-ucy.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        System.out.println("wrote " + file);
    }

    /** The update is timed agent by agent: compile it first so the figures are the steady state. */
    private static void warmUpRapidUpdate(int horizons) {
        float[] paths = new float[SAMPLES * 2 * horizons];
        for (int i = 0; i < SAMPLES; i++) {
            for (int h = 0; h < horizons; h++) {
                paths[i * 2 * horizons + 2 * h] = 0.5f * (h + 1);
                paths[i * 2 * horizons + 2 * h + 1] = 0.01f * i * (h + 1);
            }
        }
        TrajectoryForecast forecast = new TrajectoryForecast(SAMPLES, horizons, paths, new float[SAMPLES * horizons],
                new float[SAMPLES], Arrays.copyOf(paths, 2 * horizons), 0);
        ForecastState state = new ForecastState(SAMPLES, horizons, RapidUpdateConfig.defaults());
        double sink = 0;
        for (int i = 0; i < 50_000; i++) {
            state.reset(forecast);
            sink += state.observe(0.5, 0.05);
        }
        if (Double.isNaN(sink)) {
            System.out.println("warm-up produced NaN");
        }
    }

    /**
     * The training windows plus one copy of each rescaled by a factor drawn log-uniformly in [1/a, a] (seeded): the
     * same paths walked faster or slower, for every scene alike (an experiment on the speed mismatch between
     * scenes, see docs/eth-ucy.md; the test scene is never part of the pool).
     */
    static List<TrajectoryWindow> withRescaledCopies(List<TrajectoryWindow> pool, double a, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<TrajectoryWindow> out = new ArrayList<>(2 * pool.size());
        out.addAll(pool);
        double logA = Math.log(a);
        for (TrajectoryWindow window : pool) {
            out.add(window.scaled((float) Math.exp(logA * (2 * random.nextDouble() - 1))));
        }
        return out;
    }

    /**
     * The chain's layout: metres ("off"), or a speed-relative unit ({@link SpeedScale}) with the given minimum scale
     * and the reference step measured on the training pool (its median observed step length).
     */
    static ChainLayout layoutFor(String speedScale, List<TrajectoryWindow> pool) {
        ChainLayout standard = ChainLayout.standard();
        if (speedScale.equals("off")) {
            return standard;
        }
        return standard.withSpeedScale(new SpeedScale(SpeedScale.medianStep(pool), Double.parseDouble(speedScale)));
    }

    /** The windows plus each mirrored across the x axis (a walker's left and right are equally likely). */
    static List<TrajectoryWindow> withMirroredCopies(List<TrajectoryWindow> pool) {
        List<TrajectoryWindow> out = new ArrayList<>(2 * pool.size());
        out.addAll(pool);
        for (TrajectoryWindow window : pool) {
            out.add(window.mirrored());
        }
        return out;
    }

    /** A code sampler by name: iid, antithetic, stratified, or antithetic+stratified. */
    static CodeSampler codeSampler(String name, double temperature) {
        return switch (name) {
            case "iid" -> new CodeSampler(false, temperature, false);
            case "antithetic" -> new CodeSampler(true, temperature, false);
            case "stratified" -> new CodeSampler(false, temperature, true);
            case "antithetic+stratified" -> new CodeSampler(true, temperature, true);
            default -> throw new IllegalArgumentException("unknown code sampler: " + name);
        };
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
