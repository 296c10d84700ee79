package io.flowcast.api;

import io.flowcast.flow.ConditionalDensity;
import io.flowcast.serving.ExecutionProvider;
import io.flowcast.serving.ServedOn;
import io.flowcast.serving.StreamModel;
import java.util.Locale;

/** Where a served model runs, in the words the API and the metrics use. */
public final class ServedModels {

    /** Models evaluated by the JVM itself (the warm-up Gaussians), not by ONNX Runtime. */
    public static final String JVM = "jvm";

    private ServedModels() {
    }

    /**
     * {@code cpu} or {@code cuda} for a density served by ONNX Runtime (the provider it really got, see
     * {@link ServedOn}), else {@code jvm}.
     */
    public static String provider(StreamModel model) {
        ConditionalDensity density = model.density();
        return density instanceof ServedOn served ? name(served.providerInUse()) : JVM;
    }

    public static String name(ExecutionProvider provider) {
        return provider.name().toLowerCase(Locale.ROOT);
    }
}
