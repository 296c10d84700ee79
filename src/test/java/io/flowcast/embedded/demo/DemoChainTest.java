package io.flowcast.embedded.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.trajectory.ChainModelFiles;
import io.flowcast.trajectory.ChainPathForecaster;
import io.flowcast.trajectory.ConstantVelocity;
import io.flowcast.trajectory.FlowChain;
import io.flowcast.trajectory.PathForecast;
import io.flowcast.trajectory.TrajectoryWindow;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small chain trained on the demo crowd, exported and served through ONNX Runtime as the service serves it, on
 * held-out walks of another seed: its samples cover the true futures better than constant velocity predicts them.
 */
@Tag("slow")
class DemoChainTest {

    @TempDir
    Path dir;

    @Test
    void aChainTrainedOnTheDemoCrowdForecastsHeldOutWalks() throws Exception {
        long start = System.nanoTime();
        List<TrajectoryWindow> training = DemoChain.windows(11, 10, 500);
        FlowChain chain = DemoChain.train(training, 0.4, 3000, line -> { });
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        ChainModelFiles.write(dir, chain, new ModelRef("pedestrians.chain", 1), DemoChain.STEP_SECONDS);
        List<TrajectoryWindow> test = DemoChain.windows(99, 10, 200);
        List<TrajectoryWindow> sample = IntStream.range(0, Math.min(200, test.size())).map(i -> i * test.size()
                / Math.min(200, test.size())).mapToObj(test::get).collect(Collectors.toList());
        try (ChainPathForecaster served = ChainPathForecaster.open(ChainModelFiles.read(dir))) {
            assertEquals(new ModelRef("pedestrians.chain", 1), served.model());
            List<float[]> histories = sample.stream().map(TrajectoryWindow::observed).toList();
            List<PathForecast> forecasts = served.forecast(histories, new long[] {5}, 20);
            double best = 0;
            double cv = 0;
            for (int a = 0; a < sample.size(); a++) {
                float[] truth = sample.get(a).future();
                PathForecast forecast = forecasts.get(a);
                double min = Double.MAX_VALUE;
                for (int s = 0; s < forecast.samples(); s++) {
                    min = Math.min(min, ade(forecast.paths(), s * 2 * forecast.horizons(), truth));
                }
                best += min / sample.size();
                cv += ade(ConstantVelocity.predict(sample.get(a).observed(), truth.length / 2), 0, truth)
                        / sample.size();
            }
            System.out.printf("demo chain: %d training windows, %.1f s; held-out ADE best-of-20 %.3f m, constant"
                    + " velocity %.3f m%n", training.size(), trainSeconds, best, cv);
            assertTrue(best < cv, "best-of-20 " + best + " against constant velocity " + cv);
        }
    }

    private static double ade(float[] paths, int offset, float[] truth) {
        double sum = 0;
        for (int h = 0; h < truth.length / 2; h++) {
            sum += Math.hypot(paths[offset + 2 * h] - truth[2 * h], paths[offset + 2 * h + 1] - truth[2 * h + 1]);
        }
        return sum / (truth.length / 2);
    }
}
