package io.flowcast.topology;

import io.flowcast.anomaly.EntityEvidence;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Live alarm evidence ({@code flowcast.evidence.*}); see {@link EntityEvidence} for what each value does. */
@ConfigMapping(prefix = "flowcast.evidence")
public interface EvidenceSettings {

    /** The streams whose entities keep evidence (opt-in per stream); none when absent. */
    Optional<List<String>> streams();

    @WithDefault("64")
    int recent();

    @WithDefault("64")
    int residuals();

    @WithDefault("P1D")
    Duration season();

    @WithDefault("24")
    int seasonSlots();

    @WithDefault("32")
    int minValues();

    @WithDefault("0.1")
    double tailFraction();

    default EvidenceStreams evidenceStreams() {
        return new EvidenceStreams(new EntityEvidence(new EntityEvidence.Settings(recent(), residuals(), season(),
                seasonSlots(), minValues(), tailFraction())), streams().orElse(List.of()));
    }
}
