package io.flowcast.anomaly.nab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A detector's NAB result in one profile: the corpus-wide threshold, the raw and normalised scores, and each file's
 * share at that threshold (their raw scores sum to the corpus raw score).
 */
public record ProfileScore(NabProfile profile, double threshold, double rawScore, int windows, double normalizedScore,
                           List<FileScore> files) {

    /** Raw and normalised score of one category at the corpus threshold (normalised is NaN without windows). */
    public record CategoryScore(String category, int files, int windows, double rawScore, double normalizedScore,
                                int detectedWindows, int falsePositives) {
    }

    public ProfileScore {
        files = List.copyOf(files);
    }

    public double nullScore() {
        return NabNormalization.nullScore(profile, windows);
    }

    public double perfectScore() {
        return NabNormalization.perfectScore(profile, windows);
    }

    public int detectedWindows() {
        return files.stream().mapToInt(FileScore::detectedWindows).sum();
    }

    public int falsePositives() {
        return files.stream().mapToInt(FileScore::falsePositives).sum();
    }

    /**
     * Scores per category, each normalised against its own windows. NAB itself reports only the corpus; these use
     * the corpus threshold and are for diagnosis.
     */
    public Map<String, CategoryScore> byCategory() {
        Map<String, List<FileScore>> grouped = new TreeMap<>();
        for (FileScore file : files) {
            grouped.computeIfAbsent(file.category(), c -> new ArrayList<>()).add(file);
        }
        Map<String, CategoryScore> result = new LinkedHashMap<>();
        grouped.forEach((category, members) -> {
            int windowCount = members.stream().mapToInt(FileScore::windows).sum();
            double raw = members.stream().mapToDouble(FileScore::rawScore).sum();
            result.put(category, new CategoryScore(category, members.size(), windowCount, raw,
                    NabNormalization.normalize(profile, windowCount, raw),
                    members.stream().mapToInt(FileScore::detectedWindows).sum(),
                    members.stream().mapToInt(FileScore::falsePositives).sum()));
        });
        return result;
    }
}
