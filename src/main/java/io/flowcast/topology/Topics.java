package io.flowcast.topology;

import io.flowcast.anomaly.Alert;
import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.contract.TopicNames;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Flowcast's topics with their serdes. Inputs are read as raw bytes on purpose: a record is parsed and checked
 * against its contract inside the topology, so a bad one can be dead-lettered byte for byte with its reason
 * instead of failing in a deserializer.
 */
public final class Topics {

    public static final TopicSpec<byte[], byte[]> EVENTS =
            new TopicSpec<>(TopicNames.EVENTS, Serdes.ByteArray(), Serdes.ByteArray());
    public static final TopicSpec<byte[], byte[]> TRAJECTORIES =
            new TopicSpec<>(TopicNames.TRAJECTORIES, Serdes.ByteArray(), Serdes.ByteArray());
    public static final TopicSpec<String, AnomalyDescriptor> SCORES =
            new TopicSpec<>(TopicNames.SCORES, Serdes.String(), new DescriptorSerde());
    /** Keyed by the original key bytes, so a replay can produce the record exactly as it came. */
    public static final TopicSpec<byte[], DeadLetter> DLQ =
            new TopicSpec<>(TopicNames.DLQ, Serdes.ByteArray(), new JsonSerde<>(DeadLetter.class));
    public static final TopicSpec<String, ForecastRecord> FORECASTS =
            new TopicSpec<>(TopicNames.FORECASTS, Serdes.String(), new JsonSerde<>(ForecastRecord.class));
    /** Keyed by the alert id, so both transitions of an episode share a partition and a compacted view. */
    public static final TopicSpec<String, Alert> ALERTS =
            new TopicSpec<>(TopicNames.ALERTS, Serdes.String(), new JsonSerde<>(Alert.class));
    /** Compacted: the latest record per key is the registry's state. */
    public static final TopicSpec<String, byte[]> MODELS =
            new TopicSpec<>(TopicNames.MODELS, Serdes.String(), Serdes.ByteArray());

    /** Every topic the service needs, in the order they are created. */
    public static final List<TopicSpec<?, ?>> ALL = List.of(EVENTS, TRAJECTORIES, SCORES, FORECASTS, ALERTS, DLQ,
            MODELS);

    /** Topics whose retention is compaction rather than time. */
    public static final List<TopicSpec<?, ?>> COMPACTED = List.of(MODELS);

    private Topics() {
    }
}
