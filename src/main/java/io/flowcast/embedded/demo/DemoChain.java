package io.flowcast.embedded.demo;

import io.flowcast.flow.train.TrainerConfig;
import io.flowcast.trajectory.ChainLayout;
import io.flowcast.trajectory.FlowChain;
import io.flowcast.trajectory.FlowChainTrainer;
import io.flowcast.trajectory.Track;
import io.flowcast.trajectory.TrajectoryWindow;
import io.flowcast.trajectory.WindowSlicer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A flow chain for the demo's pedestrians, trained on the demo's own synthetic crowd ({@link SocialForceCrowd}, the
 * same model and parameters the feed walks, without injected anomalies, from another seed): tracks every 0.4 s,
 * cut into the ETH/UCY windows (8 observed, 12 future steps), a small training budget per flow.
 */
public final class DemoChain {

    /** Seconds between positions, as the feed sends them. */
    public static final double STEP_SECONDS = 0.4;

    private DemoChain() {
    }

    /** Windows of {@code agents} pedestrians walked for {@code steps} steps of 0.4 s. */
    public static List<TrajectoryWindow> windows(long seed, int agents, int steps) {
        SocialForceCrowd.Parameters d = SocialForceCrowd.Parameters.defaults(agents);
        SocialForceCrowd crowd = new SocialForceCrowd(new SocialForceCrowd.Parameters(d.width(), d.height(),
                d.agents(), d.meanSpeed(), d.speedSd(), d.relaxation(), d.repulsion(), d.range(), d.radius(),
                d.anisotropy(), d.noise(), d.pillarRadius(), 0.0), seed);
        Map<String, List<float[]>> positions = new LinkedHashMap<>();
        Map<String, Integer> firstStep = new LinkedHashMap<>();
        for (int t = 0; t < steps; t++) {
            for (SocialForceCrowd.AgentState agent : crowd.step(STEP_SECONDS)) {
                firstStep.putIfAbsent(agent.id(), t);
                positions.computeIfAbsent(agent.id(), k -> new ArrayList<>())
                        .add(new float[] {(float) agent.x(), (float) agent.y()});
            }
        }
        List<Track> tracks = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<float[]>> entry : positions.entrySet()) {
            List<float[]> path = entry.getValue();
            float[] xy = new float[2 * path.size()];
            for (int i = 0; i < path.size(); i++) {
                xy[2 * i] = path.get(i)[0];
                xy[2 * i + 1] = path.get(i)[1];
            }
            if (path.size() >= WindowSlicer.OBSERVED + WindowSlicer.FUTURE) {
                tracks.add(new Track("demo-crowd", index, firstStep.get(entry.getKey()), xy));
            }
            index++;
        }
        return WindowSlicer.standard().slice(tracks);
    }

    /** Trains the chain: each of its 24 flows for at most {@code flowSeconds}, on at most {@code maxWindows}. */
    public static FlowChain train(List<TrajectoryWindow> windows, double flowSeconds, int maxWindows,
            Consumer<String> progress) {
        TrainerConfig trainer = TrainerConfig.builder().batchSize(256).maxEpochs(30).learningRate(3e-3)
                .warmupSteps(20).patience(4).maxSeconds(flowSeconds).validationFraction(0.1).seed(7).build();
        ChainLayout layout = new ChainLayout(WindowSlicer.OBSERVED, WindowSlicer.FUTURE, STEP_SECONDS);
        return new FlowChainTrainer(layout, FlowChainTrainer.defaultFlow(), trainer, maxWindows, progress)
                .train(windows);
    }
}
