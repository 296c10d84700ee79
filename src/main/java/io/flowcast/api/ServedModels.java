package io.flowcast.api;

import io.flowcast.flow.ConditionalDensity;
import io.flowcast.serving.ExecutionProvider;
import io.flowcast.serving.OnnxFlowSession;
import io.flowcast.serving.StreamModel;
import java.util.Locale;

/** Where a served model runs, in the words the API and the metrics use. */
public final class ServedModels {

    /** Models evaluated by the JVM itself (the warm-up Gaussians), not by ONNX Runtime. */
    public static final String JVM = "jvm";

    private ServedModels() {
    }

    /** {@code cpu} or {@code cuda} for an ONNX Runtime session (the provider it really got), else {@code jvm}. */
    public static String provider(StreamModel model) {
        ConditionalDensity density = model.density();
        if (density instanceof OnnxFlowSession session) {
            return name(session.providerInUse());
        }
        return JVM;
    }

    public static String name(ExecutionProvider provider) {
        return provider.name().toLowerCase(Locale.ROOT);
    }
}
