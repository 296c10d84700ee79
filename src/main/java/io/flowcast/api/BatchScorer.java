package io.flowcast.api;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.topology.Observation;
import io.flowcast.topology.ObservationReader;
import io.flowcast.topology.Rejection;
import io.flowcast.topology.RequestScoring;
import io.flowcast.topology.Verdict;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scores a batch of input records synchronously, exactly as the topology would: each record is read against its
 * topic's contract, admitted by the topology's rules and scored by the stream's current model with the context of
 * the entity's earlier records <em>in the same batch</em> (the request is self-contained: it neither reads nor
 * changes the stream's state). So an entity's first {@code window} records only build context and come back warming
 * up. All or nothing: when any record is refused, none is scored and every refusal is reported.
 */
final class BatchScorer {

    private final String topic;
    private final ObservationReader reader;
    private final RequestScoring scoring;
    private final Clock clock;

    BatchScorer(String topic, ObservationReader reader, RequestScoring scoring, Clock clock) {
        this.topic = topic;
        this.reader = reader;
        this.scoring = scoring;
        this.clock = clock;
    }

    /**
     * @param records the records' JSON, in the order to score them
     * @throws ApiProblem 422 listing every refused record
     */
    List<AnomalyDescriptor> score(List<byte[]> records) {
        List<Problem.RecordError> errors = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        List<SourceRef> sources = new ArrayList<>();
        List<Integer> requestIndex = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Verdict<Observation> read = reader.read(null, records.get(i));
            if (!read.accepted()) {
                errors.add(error(i, read.rejection()));
                continue;
            }
            observations.add(read.value());
            // The record never was in Kafka: partition 0 and its index in the request stand in for its position.
            sources.add(new SourceRef(topic, 0, i));
            requestIndex.add(i);
        }
        List<AnomalyDescriptor> scores = new ArrayList<>(records.size());
        for (RequestScoring.Scored scored : scoring.score(observations, sources, clock.millis())) {
            if (scored.verdict().accepted()) {
                scores.add(scored.verdict().value());
            } else {
                errors.add(error(requestIndex.get(scored.index()), scored.verdict().rejection()));
            }
        }
        // Scoring has no side effects, so every record is tried and every refusal reported in one answer.
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(Problem.RecordError::index));
            throw ApiProblem.rejectedRecords(errors);
        }
        return scores;
    }

    private static Problem.RecordError error(int index, Rejection rejection) {
        return new Problem.RecordError(index, rejection.reason().name(), rejection.detail(), rejection.violations());
    }
}
