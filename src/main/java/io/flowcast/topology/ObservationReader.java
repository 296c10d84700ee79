package io.flowcast.topology;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.contract.CheckedRecord;
import io.flowcast.contract.DlqReason;
import io.flowcast.contract.EventRecord;
import io.flowcast.contract.EventStreamingReader;
import io.flowcast.contract.TopicContract;
import io.flowcast.contract.TopicContracts;
import io.flowcast.contract.TopicNames;
import io.flowcast.contract.TrajectoryRecord;
import io.flowcast.contract.TrajectoryStreamingReader;
import io.flowcast.contract.ValidationResult;
import io.flowcast.contract.Violation;
import io.flowcast.serving.ModelCatalog;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads one input record where it enters the service: parses it strictly, checks it against its topic's contract,
 * checks that the key is the entity id and that its stream is one this service scores, and maps it to an
 * {@link Observation}. Anything else becomes a {@link Rejection} with the contract's reason.
 *
 * <p>A record is first read by the topic's streaming reader, which checks the whole contract in one pass without
 * a JSON tree; only a record it does not accept takes the reference path (tree, finite-number scan, networknt
 * schema validation), which also words the rejection. Both paths accept the same records
 * ({@code StreamingReadersAgreementTest}), so the fast one changes the cost, never the verdict.
 */
public final class ObservationReader {

    private final TopicContract contract;
    private final ModelCatalog catalog;
    private final int maxRecordBytes;
    private final Function<JsonNode, Observation> mapping;
    /** The fast path: the observation of a record certainly valid, {@code null} when not certainly valid. */
    private final Function<byte[], Observation> streamingRead;

    private ObservationReader(TopicContract contract, ModelCatalog catalog, int maxRecordBytes,
            Function<JsonNode, Observation> mapping, Function<byte[], Observation> streamingRead) {
        this.contract = contract;
        this.catalog = catalog;
        this.maxRecordBytes = maxRecordBytes;
        this.mapping = mapping;
        this.streamingRead = streamingRead;
    }

    /** {@code flowcast.events}: the record's features are the observation's features. */
    public static ObservationReader events(TopicContracts contracts, ModelCatalog catalog, int maxRecordBytes) {
        return new ObservationReader(contracts.forTopic(TopicNames.EVENTS), catalog, maxRecordBytes,
                ObservationReader::event, bytes -> {
                    EventRecord record = EventStreamingReader.readIfValid(bytes);
                    return record == null ? null : event(record);
                });
    }

    /**
     * {@code flowcast.trajectories}: the observation's features are the position ({@code x}, {@code y}); records
     * that name no stream belong to {@code defaultStream}.
     */
    public static ObservationReader trajectories(TopicContracts contracts, ModelCatalog catalog, int maxRecordBytes,
            String defaultStream) {
        return new ObservationReader(contracts.forTopic(TopicNames.TRAJECTORIES), catalog, maxRecordBytes,
                node -> trajectory(node, defaultStream), bytes -> {
                    TrajectoryRecord record = TrajectoryStreamingReader.readIfValid(bytes);
                    return record == null ? null : trajectory(record, defaultStream);
                });
    }

    public Verdict<Observation> read(byte[] key, byte[] value) {
        if (value == null) {
            return Verdict.reject(Rejection.of(DlqReason.SCHEMA_VIOLATION, "the record has no value (a tombstone)"));
        }
        Observation observation = value.length <= maxRecordBytes ? streamingRead.apply(value) : null;
        if (observation == null) {
            CheckedRecord checked = contract.read(value, maxRecordBytes);
            if (!checked.isValid()) {
                ValidationResult result = checked.result();
                return Verdict.reject(new Rejection(result.reason(), result.describe(DeadLetter.MAX_DETAIL),
                        result.violations().stream().map(Violation::toString).toList()));
            }
            observation = mapping.apply(checked.value());
        }
        if (key != null) {
            String keyText = new String(key, StandardCharsets.UTF_8);
            if (!keyText.equals(observation.entityId())) {
                return Verdict.reject(Rejection.of(DlqReason.SCHEMA_VIOLATION, "the record key '" + keyText
                        + "' is not its entityId '" + observation.entityId() + "': per-entity state needs both equal"));
            }
        }
        if (catalog.profile(observation.stream()).isEmpty()) {
            return Verdict.reject(Rejection.of(DlqReason.UNKNOWN_STREAM, "stream '" + observation.stream()
                    + "' is not scored here; configured streams: " + new TreeSet<>(catalog.streams())));
        }
        return Verdict.accept(observation);
    }

    private static Observation event(JsonNode node) {
        Map<String, Double> features = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> feature : node.get("features").properties()) {
            features.put(feature.getKey(), feature.getValue().doubleValue());
        }
        return new Observation(node.get("entityId").textValue(), node.get("eventTime").longValue(),
                node.get("stream").textValue(), features, attributes(node.get("attributes")));
    }

    private static Observation event(EventRecord record) {
        return new Observation(record.entityId(), record.eventTime(), record.stream(), record.features(),
                record.attributes());
    }

    private static Observation trajectory(TrajectoryRecord record, String defaultStream) {
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("x", record.x());
        features.put("y", record.y());
        return new Observation(record.entityId(), record.eventTime(),
                record.stream() == null ? defaultStream : record.stream(), features, record.attributes());
    }

    private static Observation trajectory(JsonNode node, String defaultStream) {
        JsonNode position = node.get("position");
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("x", position.get("x").doubleValue());
        features.put("y", position.get("y").doubleValue());
        JsonNode stream = node.get("stream");
        return new Observation(node.get("entityId").textValue(), node.get("eventTime").longValue(),
                stream == null ? defaultStream : stream.textValue(), features, attributes(node.get("attributes")));
    }

    /** Attributes as text (trajectory attributes may be numbers or booleans; nulls carry nothing). */
    private static Map<String, String> attributes(JsonNode node) {
        if (node == null || node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> attribute : node.properties()) {
            if (!attribute.getValue().isNull()) {
                attributes.put(attribute.getKey(), attribute.getValue().asText());
            }
        }
        return attributes;
    }
}
