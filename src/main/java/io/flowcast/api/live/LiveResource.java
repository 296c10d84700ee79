package io.flowcast.api.live;

import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import io.flowcast.api.ApiProblem;
import io.flowcast.api.Problem;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The dashboard's server-sent events (a snapshot of the recent past, then a batch per poll of the topics), and the
 * latest of one entity. Every instance reads every partition, so any instance answers for any entity.
 */
@Path("/api/v1")
public class LiveResource {

    @Inject
    LiveFeed feed;

    @GET
    @Path("/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live positions, scores, forecasts and alerts (server-sent events, JSON)")
    public Multi<LiveMessage> live() {
        // A page that cannot keep up loses batches rather than slowing the feed for every other page.
        Multi<LiveMessage> updates = feed.updates().onOverflow().drop();
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(feed::snapshot), updates);
    }

    @GET
    @Path("/entities/{stream}/{entityId}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "An entity's latest position, score and forecast, as published on the output topics",
            description = "Answered from the live feed, which every instance runs over every partition: any "
                    + "instance answers for any entity it has seen since it started (and its backlog), within "
                    + "the feed's bounds (the 500 most recently active entities).")
    public EntityView entity(@PathParam("stream") String stream, @PathParam("entityId") String entityId) {
        return feed.entity(stream, entityId).orElseThrow(() -> new ApiProblem(Response.Status.NOT_FOUND,
                "unknown-entity", "Unknown entity", "no record of " + stream + "/" + entityId + " was seen lately"));
    }
}
