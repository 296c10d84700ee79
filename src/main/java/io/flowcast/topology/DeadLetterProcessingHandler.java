package io.flowcast.topology;

import io.flowcast.anomaly.SourceRef;
import io.flowcast.contract.DlqReason;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.jboss.logging.Logger;

/**
 * An exception that escapes a processor dead-letters the source record (its raw bytes, from the handler context)
 * and skips it, instead of killing the stream thread. The processors already turn per-record failures into dead
 * letters themselves; this catches what gets past them.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = Logger.getLogger(DeadLetterProcessingHandler.class);

    private Map<String, ?> config = Map.of();

    @Override
    public void configure(Map<String, ?> configs) {
        this.config = Map.copyOf(configs);
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        SourceRef source = new SourceRef(context.topic(), context.partition(), context.offset());
        LOG.errorf(exception, "Processor %s failed on %s; the record is dead-lettered and skipped",
                context.processorNodeId(), source);
        OutOfBandDeadLetters.publish(config, context.sourceRawKey(), DeadLetter.of(context.sourceRawKey(),
                context.sourceRawValue(), context.timestamp(), source, DlqReason.PROCESSING_ERROR,
                "processor " + context.processorNodeId() + " failed: " + exception, List.of(),
                System.currentTimeMillis()));
        return ProcessingHandlerResponse.CONTINUE;
    }
}
