package io.flowcast.topology;

import io.flowcast.anomaly.RecordScorer;
import io.flowcast.anomaly.SourceRef;
import io.flowcast.serving.ModelCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores observations outside Kafka with the topology's own rules: the same admission (unknown streams, missing
 * features, magnitudes, duplicates, order, gaps) and the same batch scorer, over histories that live only for the
 * call. It serves synchronous requests (the HTTP API), so a consumer's integration test sees exactly what the
 * topology would publish.
 */
public final class RequestScoring {

    /** The outcome of one observation: {@link Verdict#accepted()} with its descriptor, or its rejection. */
    public record Scored(int index, Verdict<io.flowcast.anomaly.AnomalyDescriptor> verdict) {
    }

    private final EntityAdmission admission;
    private final BatchScorer scorer;

    public RequestScoring(ModelCatalog catalog, RecordScorer recordScorer, Duration maxGap, double maxAbsValue) {
        this.admission = new EntityAdmission(catalog, maxGap, maxAbsValue);
        this.scorer = new BatchScorer(catalog, recordScorer);
    }

    /**
     * @param observations in the order to score them; each entity's earlier observations in the list are its history
     * @param sources      where each observation stands in for a record (same order)
     * @param now          wall-clock time, written as {@code scoredAt}
     */
    public List<Scored> score(List<Observation> observations, List<SourceRef> sources, long now) {
        Map<String, EntityHistory> histories = new HashMap<>();
        List<PendingRecord> admitted = new ArrayList<>();
        List<Integer> admittedIndex = new ArrayList<>();
        List<Scored> results = new ArrayList<>(observations.size());
        for (int i = 0; i < observations.size(); i++) {
            Observation observation = observations.get(i);
            String key = observation.stream() + '/' + observation.entityId();
            Verdict<EntityAdmission.Admitted> admittedVerdict = admission.admit(observation, histories.get(key));
            if (!admittedVerdict.accepted()) {
                results.add(new Scored(i, Verdict.reject(admittedVerdict.rejection())));
                continue;
            }
            histories.put(key, admittedVerdict.value().next());
            admitted.add(new PendingRecord(sources.get(i), now, null, null, observation,
                    admittedVerdict.value().prior()));
            admittedIndex.add(i);
            results.add(null);
        }
        List<BatchScorer.Outcome> outcomes = scorer.score(admitted, now);
        for (int j = 0; j < outcomes.size(); j++) {
            BatchScorer.Outcome outcome = outcomes.get(j);
            int index = admittedIndex.get(j);
            results.set(index, new Scored(index, outcome.accepted() ? Verdict.accept(outcome.descriptor())
                    : Verdict.reject(outcome.rejection())));
        }
        return results;
    }
}
