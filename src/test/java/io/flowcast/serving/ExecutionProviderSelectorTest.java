package io.flowcast.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionProviderSelectorTest {

    private final AtomicInteger cudaTries = new AtomicInteger();

    private ExecutionProviderSelector.CudaAttacher failingCuda() {
        return options -> {
            cudaTries.incrementAndGet();
            throw new OrtException("Failed to load shared library libonnxruntime_providers_cuda.so");
        };
    }

    private ExecutionProviderSelector.CudaAttacher workingCuda() {
        return options -> cudaTries.incrementAndGet();
    }

    @Test
    void autoOnThisMachineServesOnCpuWithoutTryingCuda() throws OrtException {
        Assumptions.assumeFalse(Files.exists(ExecutionProviderSelector.NVIDIA_DRIVER_MARKER), "this host has a GPU");
        ExecutionProviderSelector selector = new ExecutionProviderSelector(ProviderChoice.AUTO,
                ExecutionProviderSelector.NVIDIA_DRIVER_MARKER, failingCuda());
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            assertEquals(ExecutionProvider.CPU, selector.configure(options));
            assertEquals(ExecutionProvider.CPU, selector.configure(options));
        }
        assertEquals(0, cudaTries.get(), "CUDA must not be tried without a GPU driver");
    }

    @Test
    void autoWithADriverButNoCudaLibrariesFallsBackToCpuOnce(@TempDir Path dir) throws Exception {
        Path marker = Files.writeString(dir.resolve("version"), "NVRM version: 550");
        ExecutionProviderSelector selector = new ExecutionProviderSelector(ProviderChoice.AUTO, marker, failingCuda());
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            assertEquals(ExecutionProvider.CPU, selector.configure(options));
            assertEquals(ExecutionProvider.CPU, selector.configure(options));
        }
        assertEquals(1, cudaTries.get(), "the decision is made once");
    }

    @Test
    void autoWithWorkingCudaUsesItAndFallsBackWhenASessionFails(@TempDir Path dir) throws Exception {
        Path marker = Files.writeString(dir.resolve("version"), "NVRM version: 550");
        ExecutionProviderSelector selector = new ExecutionProviderSelector(ProviderChoice.AUTO, marker, workingCuda());
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            assertEquals(ExecutionProvider.CUDA, selector.configure(options));
            assertTrue(selector.fallBackAfter(new OrtException("cudnn missing")));
            assertEquals(ExecutionProvider.CPU, selector.configure(options));
        }
    }

    @Test
    void cpuNeverTouchesCuda(@TempDir Path dir) throws Exception {
        Path marker = Files.writeString(dir.resolve("version"), "NVRM version: 550");
        ExecutionProviderSelector selector = new ExecutionProviderSelector(ProviderChoice.CPU, marker, failingCuda());
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            assertEquals(ExecutionProvider.CPU, selector.configure(options));
        }
        assertEquals(0, cudaTries.get());
        assertFalse(selector.fallBackAfter(new OrtException("irrelevant")));
    }

    @Test
    void demandedCudaFailsLoudly() {
        ExecutionProviderSelector selector = new ExecutionProviderSelector(ProviderChoice.CUDA,
                Path.of("/nonexistent"), failingCuda());
        assertThrows(OrtException.class, () -> {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                selector.configure(options);
            }
        });
        assertFalse(selector.fallBackAfter(new OrtException("no")));
    }

    @Test
    void choicesParseCaseInsensitively() {
        assertEquals(ProviderChoice.AUTO, ProviderChoice.parse(" Auto "));
        assertEquals(ProviderChoice.CUDA, ProviderChoice.parse("cuda"));
        assertEquals(ProviderChoice.CPU, ProviderChoice.parse("CPU"));
        assertThrows(IllegalArgumentException.class, () -> ProviderChoice.parse("tpu"));
        assertThrows(IllegalArgumentException.class, () -> ProviderChoice.parse(null));
    }
}
