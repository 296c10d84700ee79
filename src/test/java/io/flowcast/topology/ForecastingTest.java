package io.flowcast.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.trajectory.ChainLayout;
import io.flowcast.trajectory.ChainModelFiles;
import io.flowcast.trajectory.ChainPathForecaster;
import io.flowcast.trajectory.ConstantVelocityForecaster;
import io.flowcast.trajectory.RandomChains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which model {@code flowcast.forecast.*} serves: the exported chain when it is readable, else constant velocity. */
class ForecastingTest {

    @TempDir
    Path dir;

    private static ForecastSettings settings(Optional<String> chainModel) {
        return new ForecastSettings() {
            public boolean enabled() {
                return true;
            }

            public int observedSteps() {
                return 8;
            }

            public int horizonSteps() {
                return 12;
            }

            public double stepSeconds() {
                return 0.4;
            }

            public int samples() {
                return 20;
            }

            public double sigmaPerStep() {
                return 0.1;
            }

            public Optional<String> chainModel() {
                return chainModel;
            }

            public double rerunEssFraction() {
                return 0.4;
            }

            public int rerunMaxSteps() {
                return 5;
            }

            public double kernelMinBandwidth() {
                return 0.08;
            }

            public boolean exactModelScores() {
                return false;
            }

            public boolean demoChain() {
                return false;
            }

            public double demoChainSecondsPerFlow() {
                return 1;
            }
        };
    }

    @Test
    void anExportedChainIsServedWithTheConfiguredRapidUpdate() throws Exception {
        ModelRef ref = new ModelRef("pedestrians.chain", 2);
        ChainModelFiles.write(dir.resolve("chain"), RandomChains.of(ChainLayout.standard(), 1), ref, 0.4);
        Forecasting forecasting = Forecasting.from(settings(Optional.of(dir.resolve("chain").toString())),
                "pedestrians");
        try (ChainPathForecaster chain = assertInstanceOf(ChainPathForecaster.class, forecasting.forecaster())) {
            assertEquals(ref, chain.model());
            assertTrue(chain.reweightable());
            assertEquals(8, chain.observedSteps());
            assertEquals(12, chain.horizons());
            assertEquals(0.4, forecasting.rapidUpdate().essFraction());
            assertEquals(5, forecasting.rapidUpdate().maxSteps());
            assertEquals(0.08, forecasting.rapidUpdate().minBandwidth());
            assertFalse(forecasting.exactScores());
        }
    }

    @Test
    void withoutAReadableChainTheConstantVelocityModelServes() throws Exception {
        Files.createDirectories(dir.resolve("half"));
        Files.writeString(dir.resolve("half/forecast.onnx"), "not a graph");
        Files.createDirectories(dir.resolve("broken"));
        Files.writeString(dir.resolve("broken/chain.json"), "{\"format\": 1, \"name\": \"c\"}");
        for (Optional<String> chainModel : new Optional[] {Optional.empty(), Optional.of(" "),
                Optional.of(dir.resolve("missing").toString()), Optional.of(dir.resolve("half").toString()),
                Optional.of(dir.resolve("broken").toString())}) {
            Forecasting forecasting = Forecasting.from(settings(chainModel), "pedestrians");
            assertInstanceOf(ConstantVelocityForecaster.class, forecasting.forecaster(), chainModel.toString());
            assertFalse(forecasting.forecaster().reweightable());
            assertEquals(new ModelRef("pedestrians.constant-velocity", 1), forecasting.forecaster().model());
        }
    }

    @Test
    void aManifestOverGraphsThatOnnxRuntimeCannotLoadFallsBack() throws Exception {
        ChainModelFiles.write(dir.resolve("chain"), RandomChains.of(new ChainLayout(3, 4, 0.4), 1),
                new ModelRef("c", 1), 0.4);
        Files.writeString(dir.resolve("chain/forecast.onnx"), "truncated");
        Forecasting forecasting = Forecasting.from(settings(Optional.of(dir.resolve("chain").toString())), "p");
        assertInstanceOf(ConstantVelocityForecaster.class, forecasting.forecaster());
    }
}
