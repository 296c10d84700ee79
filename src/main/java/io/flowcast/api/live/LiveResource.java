package io.flowcast.api.live;

import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The dashboard's server-sent events: a snapshot of the recent past, then a batch per poll of the topics. Every
 * instance reads every partition, so any instance shows the whole scene.
 */
@Path("/api/v1")
public class LiveResource {

    /** Batches buffered for a page that falls behind (a few minutes of a busy feed at one batch per poll). */
    static final int PAGE_BUFFER = 512;

    @Inject
    LiveFeed feed;

    @GET
    @Path("/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live positions, scores, forecasts and alerts (server-sent events, JSON)")
    public Multi<LiveMessage> live() {
        // A page that falls behind gets its batches buffered, up to a bound; beyond it the stream fails, the page's
        // EventSource reconnects and starts again from a snapshot. (Dropping batches instead would leave a page
        // silently without, say, the forecast or alert a dropped batch carried.)
        Multi<LiveMessage> updates = feed.updates().onOverflow().buffer(PAGE_BUFFER);
        // Subscribed to the updates first, then the snapshot taken: a batch is either in the snapshot (the feed
        // applies it to its state before broadcasting it) or among the updates, never in neither. A batch in both
        // is harmless, as the page merges by time and key.
        return Multi.createBy().merging().streams(updates, Multi.createFrom().item(feed::snapshot));
    }
}
