package io.flowcast.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ModelControl;
import io.flowcast.serving.ModelReadiness;
import io.flowcast.serving.ModelVersionInfo;
import io.flowcast.serving.StreamProfile;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;

/**
 * The streams' models: read by anyone; activated (rolled back or forward) and retrained by an admin, through the
 * model registry ({@link ModelControl}). Without a registry in the service the admin operations answer 501.
 */
@Path("/api/v1/models")
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@SecurityScheme(securitySchemeName = "admin", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The admin token (flowcast.api.admin-token)")
public class ModelsResource {

    /** One stream: its profile, where its model stands, and the versions the catalog knows (serving first). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StreamModels(String stream, List<String> features, int window, boolean timeFeatures,
            double threshold, ModelReadiness readiness, String provider, List<ModelVersionInfo> versions) {
    }

    public record ActivateRequest(Integer version) {
    }

    private final ModelCatalog catalog;
    private final Instance<ModelControl> control;

    @Inject
    public ModelsResource(ModelCatalog catalog, Instance<ModelControl> control) {
        this.catalog = catalog;
        this.control = control;
    }

    @GET
    @Operation(summary = "Every stream with its model versions and their metrics")
    public List<StreamModels> list() {
        return new TreeSet<>(catalog.streams()).stream().map(this::describe).toList();
    }

    @GET
    @Path("/{stream}")
    @Operation(summary = "One stream's model versions and their metrics")
    public StreamModels get(@PathParam("stream") String stream) {
        return describe(knownStream(stream));
    }

    @POST
    @Path("/{stream}/activate")
    @AdminOnly
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Make a version the stream's serving model (roll back or forward); admin only")
    public ModelVersionInfo activate(@PathParam("stream") String stream, ActivateRequest request) {
        knownStream(stream);
        if (request == null || request.version() == null || request.version() < 1) {
            throw new ApiProblem(Response.Status.BAD_REQUEST, "missing-version", "No version",
                    "the body must be {\"version\": n} with n >= 1");
        }
        ModelControl registry = registry();
        try {
            return registry.activate(stream, request.version());
        } catch (NoSuchElementException e) {
            throw new ApiProblem(Response.Status.NOT_FOUND, "unknown-version", "Unknown version", e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiProblem(Response.Status.CONFLICT, "cannot-activate", "Cannot activate", e.getMessage());
        }
    }

    @POST
    @Path("/{stream}/retrain")
    @AdminOnly
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Start a retrain of the stream's model now; admin only")
    public Response retrain(@PathParam("stream") String stream,
            @Parameter(description = "why, for the run's record") @QueryParam("reason") String reason) {
        knownStream(stream);
        if (reason == null || reason.isBlank()) {
            reason = "requested via API";
        }
        ModelControl registry = registry();
        try {
            return Response.accepted(registry.retrain(stream, reason)).type(MediaType.APPLICATION_JSON).build();
        } catch (NoSuchElementException e) {
            throw new ApiProblem(Response.Status.NOT_FOUND, "unknown-stream", "Unknown stream", e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiProblem(Response.Status.CONFLICT, "retrain-running", "Retrain already running",
                    e.getMessage());
        }
    }

    private StreamModels describe(String stream) {
        StreamProfile profile = catalog.profile(stream).orElseThrow();
        String provider = catalog.current(stream).map(ServedModels::provider).orElse(null);
        return new StreamModels(stream, profile.features(), profile.context().window(),
                profile.context().timeFeatures(), profile.threshold(), catalog.readiness(stream), provider,
                catalog.versions(stream));
    }

    private String knownStream(String stream) {
        if (catalog.profile(stream).isEmpty()) {
            throw new ApiProblem(Response.Status.NOT_FOUND, "unknown-stream", "Unknown stream",
                    "stream '" + stream + "' is not scored here; streams: " + new TreeSet<>(catalog.streams()));
        }
        return stream;
    }

    private ModelControl registry() {
        if (control.isUnsatisfied()) {
            throw new ApiProblem(Response.Status.NOT_IMPLEMENTED, "no-registry", "No model registry",
                    "this service runs without a model registry: its models are learned from the streams and "
                            + "cannot be activated or retrained through the API");
        }
        return control.get();
    }
}
