package io.flowcast.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowcast.topology.EntityStateQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /api/v1/entities/{stream}/{entityId}} on any instance: answered from this instance's stores when it
 * hosts the entity, else forwarded to the instance that does (one hop: a forwarded request is never forwarded again).
 * 404 for an entity nothing was published about; 503 with Retry-After while no instance can answer (start-up,
 * rebalance, restoration, the host unreachable).
 */
public final class EntityLookup {

    /** Seconds a client should wait before asking again after a 503: about one rebalance on a healthy cluster. */
    static final int RETRY_AFTER_SECONDS = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The body of a 200: the records as published on flowcast.scores and flowcast.forecasts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EntityState(String stream, String entityId, String servedBy, int partition, JsonNode score,
            JsonNode forecast) {
    }

    private final EntityStateQuery query;
    private final EntityForwarder forwarder;

    public EntityLookup(EntityStateQuery query, EntityForwarder forwarder) {
        this.query = query;
        this.forwarder = forwarder;
    }

    /**
     * @param forwardedBy the forwarding instance when this request was forwarded to us (empty when a client asked)
     */
    public EntityReply lookup(String stream, String entityId, Optional<String> forwardedBy) {
        EntityStateQuery.Answer answer = query.find(stream, entityId);
        if (answer instanceof EntityStateQuery.Found found) {
            return json(200, new EntityState(stream, entityId, address(found.host()), found.partition(),
                    parse(found.score()), parse(found.forecast())));
        }
        if (answer instanceof EntityStateQuery.Unknown) {
            return problem(Problem.of(404, "unknown-entity", "Unknown entity",
                    "nothing was published about " + stream + "/" + entityId), null);
        }
        if (answer instanceof EntityStateQuery.Elsewhere elsewhere) {
            if (forwardedBy.isPresent()) {
                // The forwarding instance's metadata and ours disagree: a rebalance is moving the partition.
                return unavailable("forwarded by " + forwardedBy.get() + ", but " + address(elsewhere.host())
                        + " hosts partition " + elsewhere.partition() + " now: a rebalance is under way");
            }
            return forwarder.forward(elsewhere.host(), stream, entityId,
                    query.self() == null ? "unknown" : address(query.self()))
                    .orElseGet(() -> unavailable(address(elsewhere.host()) + ", which hosts partition "
                            + elsewhere.partition() + " of " + entityId + ", does not answer"));
        }
        return unavailable(((EntityStateQuery.Unavailable) answer).reason());
    }

    private static EntityReply unavailable(String detail) {
        return problem(Problem.of(503, "entity-state-unavailable", "Entity state unavailable", detail),
                RETRY_AFTER_SECONDS);
    }

    private static EntityReply problem(Problem problem, Integer retryAfter) {
        return new EntityReply(problem.status(), Problem.MEDIA_TYPE, bytes(problem), retryAfter);
    }

    private static EntityReply json(int status, Object body) {
        return new EntityReply(status, EntityReply.JSON, bytes(body), null);
    }

    private static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(byte[] published) {
        if (published == null) {
            return null;
        }
        try {
            return JSON.readTree(published);
        } catch (IOException e) {
            // The topology stores only records whose head it could read; a broken tail is served as text.
            return JSON.getNodeFactory().textNode(new String(published, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static String address(HostInfo host) {
        return host == null ? null : host.host() + ':' + host.port();
    }
}
