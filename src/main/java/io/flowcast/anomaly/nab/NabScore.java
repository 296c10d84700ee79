package io.flowcast.anomaly.nab;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A detector's NAB result in every profile, with whatever the scorer had to skip or repair on the way. */
public record NabScore(Map<NabProfile, ProfileScore> profiles, List<String> scoredFiles, List<String> warnings) {

    public NabScore {
        profiles = Collections.unmodifiableMap(new EnumMap<>(profiles));
        scoredFiles = List.copyOf(scoredFiles);
        warnings = List.copyOf(warnings);
    }

    public ProfileScore profile(NabProfile profile) {
        return profiles.get(profile);
    }
}
