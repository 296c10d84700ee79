package io.flowcast.topology;

import io.flowcast.anomaly.EntityEvidence;
import java.util.Collection;
import java.util.Set;

/**
 * Which streams keep live alarm evidence per entity, and how. Opt-in per stream: a stream whose values move through
 * their range by nature (positions of a trajectory) would find every record marginally new, so only streams listed
 * here combine the flow's tail with the marginal and seasonal views.
 */
public record EvidenceStreams(EntityEvidence evidence, Set<String> streams) {

    public static final EvidenceStreams NONE =
            new EvidenceStreams(new EntityEvidence(EntityEvidence.Settings.defaults()), Set.of());

    public EvidenceStreams {
        streams = Set.copyOf(streams);
    }

    public EvidenceStreams(EntityEvidence evidence, Collection<String> streams) {
        this(evidence, Set.copyOf(streams));
    }

    public boolean enabled(String stream) {
        return streams.contains(stream);
    }
}
