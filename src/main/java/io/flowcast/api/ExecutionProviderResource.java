package io.flowcast.api;

import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ProviderChoice;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Which execution provider the operator asked for and which each serving model really runs on. */
@Path("/api/v1/execution-provider")
@Produces(MediaType.APPLICATION_JSON)
public class ExecutionProviderResource {

    /** One serving model and where it runs: cpu or cuda (ONNX Runtime) or jvm. */
    public record ServedModel(String stream, String model, int version, String provider) {
    }

    /** @param inUse the distinct providers of the serving models */
    public record Providers(String configured, List<String> inUse, List<ServedModel> models) {
    }

    private final ModelCatalog catalog;
    private final ProviderChoice configured;

    @Inject
    public ExecutionProviderResource(ModelCatalog catalog,
            @ConfigProperty(name = "flowcast.execution-provider", defaultValue = "auto") String configured) {
        this.catalog = catalog;
        this.configured = ProviderChoice.parse(configured);
    }

    @GET
    @Operation(summary = "The configured execution provider and the one each serving model runs on")
    public Providers get() {
        List<ServedModel> models = new ArrayList<>();
        for (String stream : new TreeSet<>(catalog.streams())) {
            catalog.current(stream).ifPresent(model -> models.add(
                    new ServedModel(stream, model.name(), model.version(), ServedModels.provider(model))));
        }
        List<String> inUse = models.stream().map(ServedModel::provider).distinct().sorted().toList();
        return new Providers(configured.name().toLowerCase(java.util.Locale.ROOT), inUse, models);
    }
}
