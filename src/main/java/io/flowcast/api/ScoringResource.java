package io.flowcast.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.RecordScorer;
import io.flowcast.contract.TopicContracts;
import io.flowcast.contract.TopicNames;
import io.flowcast.serving.ModelCatalog;
import io.flowcast.serving.ScoringSettings;
import io.flowcast.topology.ObservationReader;
import io.flowcast.topology.RequestScoring;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Synchronous scoring of a batch of records, for ad-hoc questions and for consumers' integration tests. The body is
 * a JSON array of records as they would be published to {@code flowcast.<topic>}; the answer is the anomaly
 * descriptor of each, in order, as {@code flowcast.scores} would carry it.
 */
@Path("/api/v1/score")
public class ScoringResource {

    /**
     * Strict (a duplicated field is an error, as on the topics) and exact: numbers stay decimals, so each record
     * reaches the contract digit for digit (an out-of-range 1e400 is refused by the contract, not turned into
     * Infinity here).
     */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final ApiSettings settings;
    private final Map<String, BatchScorer> scorers;

    @Inject
    public ScoringResource(ApiSettings settings, ModelCatalog catalog, ScoringSettings scoring) {
        this.settings = settings;
        ModelCatalog readOnly = new ReadOnlyCatalog(catalog);
        TopicContracts contracts = TopicContracts.shared();
        RequestScoring scorer = new RequestScoring(readOnly, new RecordScorer(scoring.expectedSamples()),
                scoring.maxGap(), scoring.maxAbsValue());
        Clock clock = Clock.systemUTC();
        int maxRecordBytes = scoring.maxRecordBytes();
        this.scorers = Map.of(
                "events", new BatchScorer(TopicNames.EVENTS,
                        ObservationReader.events(contracts, readOnly, maxRecordBytes), scorer, clock),
                "trajectories", new BatchScorer(TopicNames.TRAJECTORIES,
                        ObservationReader.trajectories(contracts, readOnly, maxRecordBytes,
                                scoring.trajectoryStream()), scorer, clock));
    }

    @POST
    @Path("/{topic}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Score a batch of records",
            description = "The body is a JSON array of flowcast.events or flowcast.trajectories records. Each is "
                    + "checked against its topic's contract and scored by its stream's current model, with the "
                    + "context of the same entity's earlier records in the batch (an entity's first window records "
                    + "come back warming up). Nothing is published or stored. 422 lists every refused record and "
                    + "then nothing is scored; 413 when the body or the batch is too large.")
    public List<AnomalyDescriptor> score(
            @Parameter(description = "events or trajectories") @PathParam("topic") String topic, InputStream body) {
        BatchScorer scorer = scorers.get(topic);
        if (scorer == null) {
            throw new ApiProblem(Response.Status.NOT_FOUND, "unknown-topic", "Unknown input topic",
                    "records can be scored as 'events' or 'trajectories', not '" + topic + "'");
        }
        return scorer.score(records(body));
    }

    /** The array's elements as bytes, each read by the topic contract as if it came from Kafka. */
    private List<byte[]> records(InputStream body) {
        byte[] bytes = readBounded(body, settings.maxRequestBytes());
        JsonNode array;
        try {
            array = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiProblem(Response.Status.BAD_REQUEST, "malformed-json", "Malformed JSON",
                    e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (array == null || !array.isArray()) {
            throw new ApiProblem(Response.Status.BAD_REQUEST, "not-an-array", "Body is not an array",
                    "the body must be a JSON array of records");
        }
        if (array.isEmpty()) {
            throw new ApiProblem(Response.Status.BAD_REQUEST, "empty-batch", "Empty batch",
                    "the array holds no records");
        }
        if (array.size() > settings.maxBatchRecords()) {
            throw new ApiProblem(Response.Status.REQUEST_ENTITY_TOO_LARGE, "batch-too-large", "Batch too large",
                    array.size() + " records; at most " + settings.maxBatchRecords() + " per request");
        }
        List<byte[]> records = new ArrayList<>(array.size());
        for (JsonNode record : array) {
            try {
                records.add(JSON.writeValueAsBytes(record));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a parsed tree always serializes", e);
            }
        }
        return records;
    }

    /** Reads at most {@code limit} bytes; a longer body is refused without reading the rest into memory. */
    private static byte[] readBounded(InputStream body, int limit) {
        try (body) {
            byte[] bytes = body.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new ApiProblem(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large", "Body too large",
                        "the body exceeds " + limit + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
