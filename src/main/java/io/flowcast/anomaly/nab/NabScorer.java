package io.flowcast.anomaly.nab;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a detector's output on a NAB corpus the way NAB does: per profile, one threshold for the whole corpus
 * chosen by sweeping every distinct score ({@link ThresholdSweep}), each file scored at that threshold, the file
 * scores summed and normalised between the null and the perfect detector ({@link NabNormalization}).
 *
 * <p>Only the files given are scored, so the same scorer serves the full corpus or any subset; the windows counted in
 * the normalisation are those of the scored files. A file the labels do not list cannot be scored and is skipped
 * with a warning.
 */
public final class NabScorer {

    private final NabLabels labels;

    public NabScorer(NabLabels labels) {
        this.labels = labels;
    }

    public NabScore score(List<ScoredSeries> corpus) {
        return score(corpus, null);
    }

    /**
     * Scores the files at given thresholds instead of optimising them on these files: how a threshold chosen on one
     * corpus (a tuning half) fares on another (the held-out half). NAB itself always optimises on what it scores.
     *
     * @param thresholds one threshold per profile; a profile missing from the map is optimised as in {@link #score}
     */
    public NabScore scoreAt(List<ScoredSeries> corpus, Map<NabProfile, Double> thresholds) {
        return score(corpus, Objects.requireNonNull(thresholds, "thresholds"));
    }

    private NabScore score(List<ScoredSeries> corpus, Map<NabProfile, Double> fixed) {
        List<String> warnings = new ArrayList<>();
        List<SeriesSweep> sweeps = new ArrayList<>();
        List<String> scored = new ArrayList<>();
        for (ScoredSeries series : corpus) {
            if (!labels.covers(series.name())) {
                warnings.add(series.name() + ": not in the labels; not scored");
                continue;
            }
            sweeps.add(SeriesSweep.of(series, labels.windows(series.name()), warnings));
            scored.add(series.name());
        }
        ThresholdSweep sweep = new ThresholdSweep(sweeps);
        if (sweep.windowCount() == 0) {
            warnings.add("the scored files have no label windows: normalised scores are undefined");
        }
        Map<NabProfile, ProfileScore> profiles = new EnumMap<>(NabProfile.class);
        for (NabProfile profile : NabProfile.values()) {
            double threshold = fixed != null && fixed.containsKey(profile) ? fixed.get(profile)
                    : sweep.best(profile).threshold();
            List<FileScore> files = sweeps.stream().map(s -> s.scoreAt(profile, threshold)).toList();
            double raw = files.stream().mapToDouble(FileScore::rawScore).sum();
            profiles.put(profile, new ProfileScore(profile, threshold, raw, sweep.windowCount(),
                    NabNormalization.normalize(profile, sweep.windowCount(), raw), files));
        }
        return new NabScore(profiles, scored, warnings);
    }
}
