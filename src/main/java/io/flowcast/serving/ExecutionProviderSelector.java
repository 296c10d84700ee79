package io.flowcast.serving;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Decides which execution provider ONNX Runtime sessions run on, once per selector, and configures session options
 * accordingly.
 *
 * <p>{@code cpu} never touches CUDA. {@code cuda} must get CUDA or fails. {@code auto} tries CUDA only where a GPU
 * driver is installed ({@code /proc/driver/nvidia/version} exists): ONNX Runtime lists CUDA as available on any
 * machine, and every failed try costs seconds of library extraction. When {@code auto} ends on CPU it says so in
 * exactly one log line; later sessions reuse the decision silently.
 */
public final class ExecutionProviderSelector {

    private static final Logger LOG = Logger.getLogger(ExecutionProviderSelector.class);
    /** Present exactly where the NVIDIA kernel driver is loaded. */
    public static final Path NVIDIA_DRIVER_MARKER = Path.of("/proc/driver/nvidia/version");

    /** Appends the CUDA provider to session options; throws when CUDA cannot be used. */
    @FunctionalInterface
    public interface CudaAttacher {
        void attach(OrtSession.SessionOptions options) throws OrtException;
    }

    private final ProviderChoice choice;
    private final Path driverMarker;
    private final CudaAttacher cuda;
    /** The decision once made; null before the first session. */
    private ExecutionProvider decided;

    public ExecutionProviderSelector(ProviderChoice choice) {
        this(choice, NVIDIA_DRIVER_MARKER, options -> options.addCUDA(0));
    }

    ExecutionProviderSelector(ProviderChoice choice, Path driverMarker, CudaAttacher cuda) {
        this.choice = Objects.requireNonNull(choice, "choice");
        this.driverMarker = Objects.requireNonNull(driverMarker, "driverMarker");
        this.cuda = Objects.requireNonNull(cuda, "cuda");
    }

    public ProviderChoice choice() {
        return choice;
    }

    /**
     * Adds the chosen provider to {@code options} (nothing for CPU, which every session has) and returns it.
     *
     * @throws OrtException when {@code cuda} was demanded and cannot be had
     */
    public synchronized ExecutionProvider configure(OrtSession.SessionOptions options) throws OrtException {
        if (decided == null) {
            decided = firstDecision(options);
            return decided;
        }
        if (decided == ExecutionProvider.CUDA) {
            cuda.attach(options);
        }
        return decided;
    }

    /**
     * Called when a session configured for CUDA could not be created. Under {@code auto} the selector falls back
     * to CPU for good (and says so once): returns true, and the caller retries with fresh options. Under
     * {@code cuda} it returns false and the caller reports the failure.
     */
    public synchronized boolean fallBackAfter(OrtException failure) {
        if (choice != ProviderChoice.AUTO || decided != ExecutionProvider.CUDA) {
            return false;
        }
        decided = ExecutionProvider.CPU;
        LOG.warnf("Execution provider auto: CUDA session failed (%s); serving on CPU", failure.getMessage());
        return true;
    }

    private ExecutionProvider firstDecision(OrtSession.SessionOptions options) throws OrtException {
        switch (choice) {
            case CPU:
                LOG.debugf("Execution provider cpu: serving on CPU");
                return ExecutionProvider.CPU;
            case CUDA:
                cuda.attach(options);
                LOG.infof("Execution provider cuda: serving on CUDA");
                return ExecutionProvider.CUDA;
            default:
                if (!Files.exists(driverMarker)) {
                    LOG.infof("Execution provider auto: no GPU driver (%s absent); serving on CPU", driverMarker);
                    return ExecutionProvider.CPU;
                }
                try {
                    cuda.attach(options);
                } catch (OrtException | RuntimeException | LinkageError e) {
                    LOG.warnf("Execution provider auto: GPU driver found but CUDA unavailable (%s); serving on CPU",
                            e.getMessage());
                    return ExecutionProvider.CPU;
                }
                LOG.infof("Execution provider auto: serving on CUDA");
                return ExecutionProvider.CUDA;
        }
    }
}
