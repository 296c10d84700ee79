package io.flowcast.anomaly.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NabScorerTest {

    private static final double EPS = 1e-9;

    /** Three files, 1/5/10 % of their records in windows: false positives far outweigh windows. */
    private static ToyCorpus sparseCorpus() {
        return new ToyCorpus()
                .file("cat/a.csv", 1000, 400, 449)
                .file("cat/b.csv", 2000, 500, 519, 1500, 1599)
                .file("other/c.csv", 600, 300, 359)
                .file("other/quiet.csv", 500);
    }

    @Test
    void nullDetectorScoresZeroInEveryProfile() {
        ToyCorpus corpus = sparseCorpus();
        NabScorer scorer = new NabScorer(corpus.labels());
        for (double constant : new double[] {0.5, 0.0}) {
            NabScore score = scorer.score(corpus.constant(constant));
            for (NabProfile profile : NabProfile.values()) {
                ProfileScore result = score.profile(profile);
                assertEquals(0.0, result.normalizedScore(), EPS, profile + " constant " + constant);
                assertEquals(ThresholdSweep.NO_DETECTIONS, result.threshold(), 0.0);
                assertEquals(-profile.fnWeight() * 4, result.rawScore(), EPS);
            }
        }
    }

    @Test
    void perfectDetectorScoresHundredInEveryProfile() {
        ToyCorpus corpus = sparseCorpus();
        List<ScoredSeries> output = new ArrayList<>();
        for (String name : corpus.names()) {
            double[] scores = corpus.zeros(name);
            corpus.windowIndices(name).forEach(window -> scores[window[0]] = 1.0);
            output.add(corpus.scored(name, scores));
        }
        NabScore score = new NabScorer(corpus.labels()).score(output);
        for (NabProfile profile : NabProfile.values()) {
            assertEquals(100.0, score.profile(profile).normalizedScore(), EPS, profile.nabName());
            assertEquals(4, score.profile(profile).detectedWindows());
            assertEquals(0, score.profile(profile).falsePositives());
        }
    }

    /**
     * Two files, three windows, detections (score 1) placed by hand.
     *
     * <pre>
     * a.csv: 20 records, probation floor(0.15 * 20) = 3 (records 0-2); W1 = records 8..11 (W = 4), W2 = 15..17 (W = 3)
     *   record 1   probationary                                         ignored
     *   record 5   before the first window                              -A_FP
     *   record 8   first record of W1: y = -(11 - 8 + 1) / 4 = -1       +A_TP * sigma(-1) / sigma(-1) = +A_TP
     *   record 10  second detection in W1                               ignored
     *   record 13  after W1: y = |11 - 13| / (4 - 1) = 2/3              A_FP * sigma(2/3) = A_FP * -0.931110
     *   record 17  last record of W2: y = -(17 - 17 + 1) / 3 = -1/3     A_TP * sigma(-1/3) / sigma(-1)
     *                                                                   = A_TP * 0.682265 / 0.986614 = A_TP * 0.691518
     * b.csv: 100 records, probation floor(0.15 * 100) = 15 (records 0-14); W3 = records 20..29 (W = 10)
     *   record 2   probationary                                         ignored
     *   W3         no detection                                         -A_FN
     *   record 38  after W3: y = |29 - 38| / (10 - 1) = 1               A_FP * sigma(1) = A_FP * -0.986614
     *
     * standard  (1, 0.11, 1): -0.11 + 1 - 0.102422 + 0.691518 - 1 - 0.108528 = 0.370569
     *           null = -3, perfect = 3: 100 * (0.370569 + 3) / 6 = 56.1761
     * low FP    (1, 0.22, 1): -0.22 + 1 - 0.204844 + 0.691518 - 1 - 0.217055 = 0.049619 -> 100 * 3.049619 / 6 = 50.8270
     * low FN    (1, 0.11, 2): 0.370569 - 1 = -0.629431; null = -6: 100 * 5.370569 / 9 = 59.6730
     * </pre>
     * Threshold 1.0 beats 1.1 (raw -3 / -3 / -6) and 0.0 (every record a detection: 88 false positives).
     */
    @Test
    void handMadeDetectorGetsTheScoreWorkedOutByHand() {
        ToyCorpus corpus = new ToyCorpus().file("x/a.csv", 20, 8, 11, 15, 17).file("x/b.csv", 100, 20, 29);
        NabScore score = new NabScorer(corpus.labels()).score(handMadeDetections(corpus));

        double sigmaMinus1 = 2 / (1 + Math.exp(-5.0)) - 1;
        double afterW1 = 2 / (1 + Math.exp(5 * 2.0 / 3)) - 1;
        double lateInW2 = (2 / (1 + Math.exp(-5.0 / 3)) - 1) / sigmaMinus1;
        double afterW3 = 2 / (1 + Math.exp(5.0)) - 1;
        double[] expectedNormalized = {56.1761, 50.8270, 59.6730};
        for (NabProfile profile : NabProfile.values()) {
            double tp = profile.tpWeight();
            double fp = profile.fpWeight();
            double expectedRaw = -fp + tp + fp * afterW1 + tp * lateInW2 - profile.fnWeight() + fp * afterW3;
            ProfileScore result = score.profile(profile);
            assertEquals(1.0, result.threshold(), 0.0, profile.nabName());
            assertEquals(expectedRaw, result.rawScore(), EPS, profile.nabName());
            assertEquals(expectedNormalized[profile.ordinal()], result.normalizedScore(), 1e-4, profile.nabName());
            assertEquals(2, result.detectedWindows());
            assertEquals(3, result.falsePositives());
        }
        assertEquals(0.370569, score.profile(NabProfile.STANDARD).rawScore(), 1e-6);
    }

    private static List<ScoredSeries> handMadeDetections(ToyCorpus corpus) {
        double[] a = corpus.zeros("x/a.csv");
        for (int i : new int[] {1, 5, 8, 10, 13, 17}) {
            a[i] = 1.0;
        }
        double[] b = corpus.zeros("x/b.csv");
        b[2] = 1.0;
        b[38] = 1.0;
        return List.of(corpus.scored("x/a.csv", a), corpus.scored("x/b.csv", b));
    }

    @Test
    void aGivenThresholdIsKeptInsteadOfOptimised() {
        ToyCorpus corpus = new ToyCorpus().file("x/a.csv", 20, 8, 11, 15, 17).file("x/b.csv", 100, 20, 29);
        NabScorer scorer = new NabScorer(corpus.labels());
        List<ScoredSeries> detections = handMadeDetections(corpus);
        // Threshold 1.1 is "no detections": the null score, -A_FN per window, although 1.0 would score better.
        NabScore none = scorer.scoreAt(detections, java.util.Map.of(NabProfile.STANDARD, 1.1));
        assertEquals(1.1, none.profile(NabProfile.STANDARD).threshold(), 0.0);
        assertEquals(-3.0, none.profile(NabProfile.STANDARD).rawScore(), EPS);
        assertEquals(0.0, none.profile(NabProfile.STANDARD).normalizedScore(), EPS);
        // Profiles left out of the map are optimised as usual.
        assertEquals(50.8270, none.profile(NabProfile.REWARD_LOW_FP_RATE).normalizedScore(), 1e-4);
        // At the optimum's own threshold the two agree.
        NabScore same = scorer.scoreAt(detections, java.util.Map.of(NabProfile.STANDARD, 1.0));
        assertEquals(scorer.score(detections).profile(NabProfile.STANDARD).rawScore(),
                same.profile(NabProfile.STANDARD).rawScore(), 0.0);
    }

    @Test
    void probationaryRecordsNeverCount() {
        ToyCorpus corpus = new ToyCorpus().file("x/a.csv", 20, 8, 11, 15, 17).file("x/b.csv", 100, 20, 29);
        List<ScoredSeries> detections = handMadeDetections(corpus);
        double before = new NabScorer(corpus.labels()).score(detections).profile(NabProfile.STANDARD).rawScore();
        // Fill the whole probationary period of both files with detections: nothing changes.
        for (ScoredSeries series : detections) {
            for (int i = 0; i < ProbationaryPeriod.length(series.size()); i++) {
                series.scores()[i] = 1.0;
            }
        }
        double after = new NabScorer(corpus.labels()).score(detections).profile(NabProfile.STANDARD).rawScore();
        assertEquals(before, after, 0.0);
        // The first record after the probation does count: a.csv record 3 is a false positive before W1.
        detections.get(0).scores()[3] = 1.0;
        double withOneMore = new NabScorer(corpus.labels()).score(detections).profile(NabProfile.STANDARD).rawScore();
        assertEquals(before - 0.11, withOneMore, EPS);
    }

    @Test
    void probationaryPeriodIsFifteenPercentCappedAt750() {
        assertEquals(3, ProbationaryPeriod.length(20));
        assertEquals(604, ProbationaryPeriod.length(4032));
        assertEquals(243, ProbationaryPeriod.length(1624));
        assertEquals(750, ProbationaryPeriod.length(5000));
        assertEquals(750, ProbationaryPeriod.length(22695));
        assertEquals(0, ProbationaryPeriod.length(1));
    }

    /**
     * One window (records 50..59, W = 10) in 100 records, probation 15. Scores: 0.9 on a false positive before the
     * window, 0.7 on the window's first record, 0.5 on the 13 records from 87 on (y = (87 - 59) / 9 >= 3: full cost).
     * Thresholds: 1.1 -> -1; 0.9 -> -1 - 0.11; 0.7 -> -0.11 + 1 = 0.89; 0.5 -> 0.89 - 13 * 0.11 = -0.54; 0.0 -> worse.
     */
    @Test
    void optimiserPicksTheBestThreshold() {
        ToyCorpus corpus = new ToyCorpus().file("x/a.csv", 100, 50, 59);
        double[] scores = corpus.zeros("x/a.csv");
        scores[20] = 0.9;
        scores[50] = 0.7;
        for (int i = 87; i < 100; i++) {
            scores[i] = 0.5;
        }
        ThresholdSweep sweep = sweep(corpus, List.of(corpus.scored("x/a.csv", scores)));
        List<ThresholdSweep.Step> curve = sweep.curve(NabProfile.STANDARD);
        assertEquals(List.of(1.1, 0.9, 0.7, 0.5, 0.0), curve.stream().map(ThresholdSweep.Step::threshold).toList());
        assertEquals(-1.0, curve.get(0).rawScore(), EPS);
        assertEquals(-1.11, curve.get(1).rawScore(), EPS);
        assertEquals(0.89, curve.get(2).rawScore(), EPS);
        assertEquals(-0.54, curve.get(3).rawScore(), EPS);
        ThresholdSweep.Step best = sweep.best(NabProfile.STANDARD);
        assertEquals(0.7, best.threshold(), 0.0);
        assertEquals(0.89, best.rawScore(), EPS);
    }

    @Test
    void equalScoresKeepTheHighestThreshold() {
        // Lowering the threshold from 0.8 to 0.6 adds only a later detection in an already-found window.
        ToyCorpus corpus = new ToyCorpus().file("x/a.csv", 100, 50, 59);
        double[] scores = corpus.zeros("x/a.csv");
        scores[50] = 0.8;
        scores[55] = 0.6;
        ThresholdSweep sweep = sweep(corpus, List.of(corpus.scored("x/a.csv", scores)));
        assertEquals(0.8, sweep.best(NabProfile.STANDARD).threshold(), 0.0);
    }

    @Test
    void incrementalSweepMatchesRescoringAtEveryThreshold() {
        Random random = new Random(7);
        ToyCorpus corpus = new ToyCorpus()
                .file("r/a.csv", 300, 100, 129, 200, 229)
                .file("r/b.csv", 200, 150, 169)
                .file("s/c.csv", 250, 20, 40, 240, 249)
                .file("s/d.csv", 120);
        List<ScoredSeries> output = new ArrayList<>();
        for (String name : corpus.names()) {
            double[] scores = corpus.zeros(name);
            for (int i = 0; i < scores.length; i++) {
                // Coarse values so that many records share a score, as real detectors' outputs do.
                scores[i] = Math.round(random.nextDouble() * random.nextDouble() * 40) / 40.0;
            }
            output.add(corpus.scored(name, scores));
        }
        List<String> warnings = new ArrayList<>();
        List<SeriesSweep> files = output.stream()
                .map(s -> SeriesSweep.of(s, corpus.labels().windows(s.name()), warnings)).toList();
        ThresholdSweep sweep = new ThresholdSweep(files);
        for (NabProfile profile : NabProfile.values()) {
            List<ThresholdSweep.Step> curve = sweep.curve(profile);
            double bestRescored = Double.NEGATIVE_INFINITY;
            double bestThreshold = Double.NaN;
            for (ThresholdSweep.Step step : curve) {
                List<FileScore> rescored = files.stream().map(f -> f.scoreAt(profile, step.threshold())).toList();
                double raw = rescored.stream().mapToDouble(FileScore::rawScore).sum();
                assertEquals(raw, step.rawScore(), EPS, profile + " at " + step.threshold());
                assertEquals(rescored.stream().mapToInt(FileScore::detectedWindows).sum(), step.detectedWindows());
                assertEquals(rescored.stream().mapToInt(FileScore::falsePositives).sum(), step.falsePositives());
                if (raw > bestRescored + EPS) {
                    bestRescored = raw;
                    bestThreshold = step.threshold();
                }
            }
            assertEquals(bestThreshold, sweep.best(profile).threshold(), 0.0, profile.nabName());
        }
        // 41 possible score values at most, plus the 1.1 start.
        assertTrue(sweep.curve(NabProfile.STANDARD).size() <= 42);
    }

    @Test
    void onlyTheScoredFilesWindowsCountInTheNormalisation() {
        ToyCorpus corpus = sparseCorpus();
        List<ScoredSeries> onlyA = corpus.constant(0.0).subList(0, 1);
        double[] scores = onlyA.get(0).scores();
        scores[400] = 1.0;
        NabScore score = new NabScorer(corpus.labels()).score(onlyA);
        assertEquals(1, score.profile(NabProfile.STANDARD).windows());
        assertEquals(100.0, score.profile(NabProfile.STANDARD).normalizedScore(), EPS);
    }

    @Test
    void badScoresAndOddWindowsDoNotCrash() {
        long[] times = {ToyCorpus.time(0), ToyCorpus.time(1), ToyCorpus.time(2)};
        ToyCorpus corpus = new ToyCorpus()
                .file("x/a.csv", 100, 50, 50)   // a window of one record
                .file("x/b.csv", 100, 60, 70, 65, 80);  // overlapping windows, merged into 60..80
        double[] a = corpus.zeros("x/a.csv");
        a[30] = Double.NaN;     // read as 0: not a detection
        a[50] = 7.0;      // clipped to 1: detects the one-record window
        a[60] = 1.0;      // after a one-record window: y = infinity, full false-positive cost
        a[70] = -3.0;
        double[] b = corpus.zeros("x/b.csv");
        b[60] = 1.0;
        List<ScoredSeries> output = List.of(corpus.scored("x/a.csv", a), corpus.scored("x/b.csv", b),
                new ScoredSeries("x/unlabelled.csv", times, new double[3]));
        NabScore score = new NabScorer(corpus.labels()).score(output);
        ProfileScore standard = score.profile(NabProfile.STANDARD);
        assertEquals(2, standard.windows());
        assertEquals(1.0 + 1.0 - 0.11, standard.rawScore(), EPS);
        assertEquals(List.of("x/a.csv", "x/b.csv"), score.scoredFiles());
        assertFalse(score.warnings().isEmpty());
        assertTrue(score.warnings().stream().anyMatch(w -> w.contains("unlabelled")));
        assertTrue(score.warnings().stream().anyMatch(w -> w.contains("merged")));
    }

    @Test
    void categoriesAreScoredAgainstTheirOwnWindows() {
        ToyCorpus corpus = sparseCorpus();
        List<ScoredSeries> output = corpus.constant(0.0);
        output.get(0).scores()[400] = 1.0;   // cat/a.csv window found on its first record
        ProfileScore standard = new NabScorer(corpus.labels()).score(output).profile(NabProfile.STANDARD);
        var categories = standard.byCategory();
        assertEquals(List.of("cat", "other"), List.copyOf(categories.keySet()));
        // cat: 3 windows, raw 1 - 2 = -1, null -3, perfect 3 -> 100 * 2 / 6.
        assertEquals(100.0 * 2 / 6, categories.get("cat").normalizedScore(), EPS);
        assertEquals(0.0, categories.get("other").normalizedScore(), EPS);
        assertEquals(standard.rawScore(), categories.values().stream().mapToDouble(c -> c.rawScore()).sum(), EPS);
    }

    private static ThresholdSweep sweep(ToyCorpus corpus, List<ScoredSeries> output) {
        List<String> warnings = new ArrayList<>();
        return new ThresholdSweep(output.stream()
                .map(s -> SeriesSweep.of(s, corpus.labels().windows(s.name()), warnings)).toList());
    }
}
