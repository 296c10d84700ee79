package io.flowcast.api;

import io.flowcast.topology.EntityStateQuery;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** An entity's latest score and forecast, from the streams' state stores, on any instance ({@link EntityLookup}). */
@Path("/api/v1/entities")
public class EntityResource {

    @Inject
    KafkaStreams streams;

    @Inject
    ApiSettings settings;

    @ConfigProperty(name = "quarkus.kafka-streams.application-server")
    Optional<String> applicationServer;

    private EntityLookup lookup;

    @PostConstruct
    void init() {
        HostInfo self = applicationServer.filter(s -> !s.isBlank()).map(HostInfo::buildFromEndpoint).orElse(null);
        lookup = new EntityLookup(new EntityStateQuery(streams, self), new EntityForwarder(settings.forwardTimeout()));
    }

    @GET
    @Path("/{stream}/{entityId}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "An entity's latest score and forecast",
            description = "Read from the state store the streams keep of every entity's latest published score "
                    + "(flowcast.scores) and forecast (flowcast.forecasts; trajectory streams only), latest by event "
                    + "time. Any instance answers for any entity: Kafka Streams' metadata names the instance that "
                    + "hosts the entity's partition, and the request is forwarded there when it is another one. "
                    + "servedBy names the instance whose store answered.")
    @APIResponse(responseCode = "200", description = "The entity's latest score and/or forecast, as published")
    @APIResponse(responseCode = "404", description = "Nothing was published about this entity (problem+json)")
    @APIResponse(responseCode = "503", description = "No instance can answer now (start-up, rebalance, restoration, "
            + "the hosting instance unreachable); Retry-After says when to ask again (problem+json)")
    public Response entity(@PathParam("stream") String stream, @PathParam("entityId") String entityId,
            @Parameter(hidden = true) @HeaderParam(EntityForwarder.FORWARDED_BY) String forwardedBy) {
        EntityReply reply = lookup.lookup(stream, entityId, Optional.ofNullable(forwardedBy));
        Response.ResponseBuilder response = Response.status(reply.status()).type(reply.contentType())
                .entity(reply.body());
        if (reply.retryAfterSeconds() != null) {
            response.header("Retry-After", reply.retryAfterSeconds());
        }
        return response.build();
    }
}
