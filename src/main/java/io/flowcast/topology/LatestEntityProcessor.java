package io.flowcast.topology;

import io.flowcast.contract.TopicNames;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Keeps each entity's latest published score and forecast, as published (the bytes on the topic), under
 * {@link EntityKey}. "Latest" is by event time, as the dashboard keeps them: a late record about an earlier moment
 * does not replace a newer one. A record that is not a score or forecast of its key's entity is skipped: it would be
 * filed under a partition the entity's lookups never ask.
 */
final class LatestEntityProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = Logger.getLogger(LatestEntityProcessor.class);

    private final String trajectoryStream;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> scores;
    private KeyValueStore<String, byte[]> forecasts;

    LatestEntityProcessor(String trajectoryStream) {
        this.trajectoryStream = trajectoryStream;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.scores = context.getStateStore(LatestEntityState.SCORES_STORE);
        this.forecasts = context.getStateStore(LatestEntityState.FORECASTS_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        boolean isForecast = context.recordMetadata().map(m -> TopicNames.FORECASTS.equals(m.topic())).orElse(false);
        Optional<RecordHead> head = RecordHead.read(record.value());
        // Forecasts name no stream: the trajectory stream is the only one forecast.
        String stream = head.map(h -> isForecast ? trajectoryStream : h.stream()).orElse(null);
        if (head.isEmpty() || stream == null || !head.get().entityId().equals(record.key())) {
            LOG.debugf("Skipped a %s record that names no entity of its key %s", isForecast ? "forecast" : "score",
                    record.key());
            return;
        }
        KeyValueStore<String, byte[]> store = isForecast ? forecasts : scores;
        String key = EntityKey.of(stream, record.key());
        byte[] old = store.get(key);
        boolean newer = old == null || RecordHead.read(old).map(h -> head.get().eventTime() >= h.eventTime())
                .orElse(true);
        if (newer) {
            store.put(key, record.value());
        }
    }
}
