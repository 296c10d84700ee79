package io.flowcast.bench.nab;

import io.flowcast.anomaly.nab.NabProfile;
import io.flowcast.anomaly.nab.NabScore;
import io.flowcast.anomaly.nab.ProfileScore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Turns scored detector runs into the printed tables and the flat JSON map the bench writes. */
final class NabReport {

    /** A detector's run, its score on all files, and its scores on the two halves of the fixed split. */
    record Result(DetectorRun run, NabScore score, SplitScores split) {
    }

    private NabReport() {
    }

    static Map<String, Object> json(Map<String, Result> results, int files, long records, int windows) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("nab_files", files);
        json.put("nab_records", records);
        json.put("nab_windows", windows);
        json.put("nab_note", "subset score over the given files only; not comparable with NAB's full-corpus scoreboard");
        results.forEach((name, result) -> {
            for (NabProfile profile : NabProfile.values()) {
                ProfileScore score = result.score().profile(profile);
                json.put(name + "_" + profile.shortName(), round(score.normalizedScore()));
            }
            json.put(name + "_records_per_s", Math.round(result.run().recordsPerSecond()));
            json.put(name + "_stream_seconds", round(result.run().detectorNanos() / 1e9));
            json.put(name + "_wall_seconds", round(result.run().wallNanos() / 1e9));
            for (NabProfile profile : NabProfile.values()) {
                String key = name + "_" + profile.shortName();
                json.put(key + "_tune_half", round(result.split().tune().profile(profile).normalizedScore()));
                json.put(key + "_heldout_half", round(result.split().heldOut().profile(profile).normalizedScore()));
                json.put(key + "_heldout_half_at_tune_threshold",
                        round(result.split().heldOutAtTuneThreshold().profile(profile).normalizedScore()));
            }
            for (NabProfile profile : NabProfile.values()) {
                ProfileScore score = result.score().profile(profile);
                json.put(name + "_" + profile.shortName() + "_threshold", score.threshold());
                json.put(name + "_" + profile.shortName() + "_raw", round(score.rawScore()));
                score.byCategory().values().stream()
                        .filter(c -> c.windows() > 0)
                        .forEach(c -> json.put(name + "_" + profile.shortName() + "_" + c.category(),
                                round(c.normalizedScore())));
            }
        });
        return json;
    }

    static String table(Map<String, Result> results, int files, long records, int windows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "%nNAB SUBSET SCORE: %d files, %d records, %d windows (null = 0, perfect = 100 on this subset).%n"
                        + "Not comparable with the full-corpus scoreboard below (58 files, 116 windows).%n%n",
                files, records, windows));
        out.append(String.format(Locale.ROOT, "%-20s %8s %8s %8s  %-19s %-19s %-19s %6s %5s %10s %8s%n",
                "detector", "standard", "low FP", "low FN", "thr std", "thr lowFP", "thr lowFN", "found", "FP", "records/s",
                "wall s"));
        results.forEach((name, result) -> {
            ProfileScore standard = result.score().profile(NabProfile.STANDARD);
            ProfileScore lowFp = result.score().profile(NabProfile.REWARD_LOW_FP_RATE);
            ProfileScore lowFn = result.score().profile(NabProfile.REWARD_LOW_FN_RATE);
            out.append(String.format(Locale.ROOT, "%-20s %8.1f %8.1f %8.1f  %-19s %-19s %-19s %6s %5d %10.0f %8.1f%n",
                    name, standard.normalizedScore(), lowFp.normalizedScore(), lowFn.normalizedScore(),
                    Double.toString(standard.threshold()), Double.toString(lowFp.threshold()),
                    Double.toString(lowFn.threshold()),
                    standard.detectedWindows() + "/" + standard.windows(), standard.falsePositives(),
                    result.run().recordsPerSecond(), result.run().wallNanos() / 1e9));
        });

        out.append(String.format(Locale.ROOT, "%nFixed split (NabSplit: per category by CRC-32 of the file name; settings "
                + "are chosen on the tuning half)%n%-20s %-20s %-20s %-20s%n", "detector", "tuning half",
                "held-out half", "held-out, tune thr"));
        results.forEach((name, result) -> out.append(String.format(Locale.ROOT, "%-20s %-20s %-20s %-20s%n", name,
                triple(result.split().tune()), triple(result.split().heldOut()),
                triple(result.split().heldOutAtTuneThreshold()))));

        out.append(String.format(Locale.ROOT, "%nPer category (standard profile, corpus threshold; FP = false-positive records)%n"));
        results.forEach((name, result) -> {
            out.append(String.format(Locale.ROOT, "  %s%n", name));
            result.score().profile(NabProfile.STANDARD).byCategory().values().forEach(c -> out.append(String.format(
                    Locale.ROOT, "    %-24s files %2d  windows %3d  found %3d  FP %5d  raw %8.2f  score %s%n",
                    c.category(), c.files(), c.windows(), c.detectedWindows(), c.falsePositives(), c.rawScore(),
                    c.windows() == 0 ? "n/a (no windows)" : String.format(Locale.ROOT, "%.1f", c.normalizedScore()))));
        });

        out.append(String.format(Locale.ROOT, "%nPublished NAB scoreboard (full corpus, NAB v1.0):%n"));
        out.append(String.format(Locale.ROOT, "%-34s %9s %9s %9s%n", "detector", "standard", "low FP", "low FN"));
        for (PublishedScoreboard.Entry entry : PublishedScoreboard.ENTRIES) {
            out.append(String.format(Locale.ROOT, "%-34s %9.1f %9.1f %9.1f%n",
                    entry.detector(), entry.standard(), entry.lowFp(), entry.lowFn()));
        }
        return out.toString();
    }

    /** standard / low FP / low FN, one decimal each. */
    private static String triple(NabScore score) {
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f",
                score.profile(NabProfile.STANDARD).normalizedScore(),
                score.profile(NabProfile.REWARD_LOW_FP_RATE).normalizedScore(),
                score.profile(NabProfile.REWARD_LOW_FN_RATE).normalizedScore());
    }

    private static double round(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000.0) / 1000.0 : value;
    }
}
