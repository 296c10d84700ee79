package io.flowcast.topology;

import io.flowcast.anomaly.EntityEvidence;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An entity's alarm evidence state in its own store and changelog ({@link EntityEvidence.State#toBytes}, which
 * starts with its format byte). A store of its own because the state is read and written once per entity per
 * micro-batch, when the batch is scored, while the entity's history is rewritten at every record's admission and
 * copied into every parked record: kept there, its kilobyte or two would travel three times per record.
 */
public final class EvidenceStateSerde implements Serde<EntityEvidence.State> {

    @Override
    public Serializer<EntityEvidence.State> serializer() {
        return (topic, state) -> state == null ? null : state.toBytes();
    }

    @Override
    public Deserializer<EntityEvidence.State> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return EntityEvidence.State.fromBytes(bytes);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("corrupt entity evidence of " + bytes.length + " bytes", e);
            }
        };
    }
}
