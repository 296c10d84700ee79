package io.flowcast.bench.nab;

import io.flowcast.anomaly.nab.NabLabels;
import io.flowcast.anomaly.nab.NabProfile;
import io.flowcast.anomaly.nab.NabScore;
import io.flowcast.anomaly.nab.NabScorer;
import io.flowcast.anomaly.nab.NabSplit;
import io.flowcast.anomaly.nab.ScoredSeries;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A detector's output scored on the whole corpus and on each half of {@link NabSplit}: the tuning half (where
 * settings are chosen), the held-out half with its own optimised threshold (NAB's rule applied to that half), and
 * the held-out half at the tuning half's thresholds (nothing at all chosen on the held-out files).
 */
record SplitScores(NabScore all, NabScore tune, NabScore heldOut, NabScore heldOutAtTuneThreshold) {

    static SplitScores of(NabLabels labels, List<ScoredSeries> output) {
        NabScorer scorer = new NabScorer(labels);
        NabSplit split = NabSplit.of(output.stream().map(ScoredSeries::name).toList());
        List<ScoredSeries> tuneFiles = split.select(output, NabSplit.Half.TUNE);
        List<ScoredSeries> heldOutFiles = split.select(output, NabSplit.Half.HELD_OUT);
        NabScore tune = scorer.score(tuneFiles);
        Map<NabProfile, Double> tuneThresholds = new EnumMap<>(NabProfile.class);
        for (NabProfile profile : NabProfile.values()) {
            tuneThresholds.put(profile, tune.profile(profile).threshold());
        }
        return new SplitScores(scorer.score(output), tune, scorer.score(heldOutFiles),
                scorer.scoreAt(heldOutFiles, tuneThresholds));
    }
}
