package io.flowcast.api;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.topology.EntityHistory;
import io.flowcast.topology.Observation;
import io.flowcast.topology.ObservationReader;
import io.flowcast.topology.ObservationScorer;
import io.flowcast.topology.Rejection;
import io.flowcast.topology.Verdict;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a batch of input records synchronously, exactly as the topology would: each record is read against its
 * topic's contract and scored by the stream's current model with the context of the entity's earlier records
 * <em>in the same batch</em> (the request is self-contained: it neither reads nor changes the stream's state).
 * So an entity's first {@code window} records only build context and come back warming up. All or nothing: when any
 * record is refused, none is scored and every refusal is reported.
 */
final class BatchScorer {

    private final String topic;
    private final ObservationReader reader;
    private final ObservationScorer scorer;
    private final Clock clock;

    BatchScorer(String topic, ObservationReader reader, ObservationScorer scorer, Clock clock) {
        this.topic = topic;
        this.reader = reader;
        this.scorer = scorer;
        this.clock = clock;
    }

    /**
     * @param records the records' JSON, in the order to score them
     * @throws ApiProblem 422 listing every refused record
     */
    List<AnomalyDescriptor> score(List<byte[]> records) {
        List<Problem.RecordError> errors = new ArrayList<>();
        Map<String, EntityHistory> histories = new HashMap<>();
        List<AnomalyDescriptor> scores = new ArrayList<>(records.size());
        long now = clock.millis();
        for (int i = 0; i < records.size(); i++) {
            Verdict<Observation> read = reader.read(null, records.get(i));
            if (!read.accepted()) {
                errors.add(error(i, read.rejection()));
                continue;
            }
            Observation observation = read.value();
            String key = observation.stream() + '/' + observation.entityId();
            // The record never was in Kafka: partition 0 and its index in the request stand in for its position.
            Verdict<ObservationScorer.Scored> scored =
                    scorer.score(observation, histories.get(key), new SourceRef(topic, 0, i), now);
            if (!scored.accepted()) {
                errors.add(error(i, scored.rejection()));
                continue;
            }
            histories.put(key, scored.value().history());
            scores.add(scored.value().descriptor());
        }
        // Scoring has no side effects, so every record is tried and every refusal reported in one answer.
        if (!errors.isEmpty()) {
            throw ApiProblem.rejectedRecords(errors);
        }
        return scores;
    }

    private static Problem.RecordError error(int index, Rejection rejection) {
        return new Problem.RecordError(index, rejection.reason().name(), rejection.detail(), rejection.violations());
    }
}
