package io.flowcast.topology;

import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.DlqReason;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jboss.logging.Logger;

/**
 * A record whose key or value cannot be deserialized is dead-lettered and skipped; the stream thread carries on.
 * (Flowcast's inputs are read as raw bytes, so this is a safety net for topologies that read typed values.)
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = Logger.getLogger(DeadLetterDeserializationHandler.class);

    private Map<String, ?> config = Map.of();

    @Override
    public void configure(Map<String, ?> configs) {
        this.config = Map.copyOf(configs);
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        SourceRef source = new SourceRef(record.topic(), record.partition(), record.offset());
        LOG.warnf("Cannot deserialize %s: %s; dead-lettered", source, exception.getMessage());
        OutOfBandDeadLetters.publish(config, record.key(), DeadLetter.of(record.key(), record.value(),
                record.timestamp(), source, DlqReason.PROCESSING_ERROR,
                "deserialization failed: " + exception, List.of(), System.currentTimeMillis()));
        return DeserializationHandlerResponse.CONTINUE;
    }
}
