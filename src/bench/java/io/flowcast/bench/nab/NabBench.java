package io.flowcast.bench.nab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowcast.anomaly.EntityEvidence;
import io.flowcast.anomaly.OnlineFlowScorer;
import io.flowcast.anomaly.nab.NabCorpusReader;
import io.flowcast.anomaly.nab.NabLabels;
import io.flowcast.anomaly.nab.NabProfile;
import io.flowcast.anomaly.nab.NabScore;
import io.flowcast.anomaly.nab.NabScorer;
import io.flowcast.anomaly.nab.NabSeries;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code nab} benchmark: streams every file of a corpus in NAB's layout through each detector, record by record,
 * scores the outputs with {@link NabScorer} and prints the three profile scores beside NAB's published scoreboard.
 *
 * <p>Only the files found under the data folder are scored (the labels file may list more), so on NAB's development
 * subset the numbers are subset scores, normalised against that subset's windows.
 */
public final class NabBench {

    private NabBench() {
    }

    /**
     * Flowcast and the peers run in every bench: RCF as NAB ran it, RCF's own grade, a shingled RCF, and NAB's
     * Gaussian baseline.
     */
    public static Map<String, DetectorFactory> defaultDetectors() {
        Map<String, DetectorFactory> detectors = new LinkedHashMap<>();
        OnlineFlowScorer.Settings flowcast =
                FlowcastDetector.settings(OnlineFlowScorer.Settings.defaults(), System.getProperty("nab.flowcast"));
        detectors.put("flowcast", c -> new FlowcastDetector(flowcast, c));
        // -Dnab.flowcast.variants="name:key=value,...;name2:..." adds tuning variants as flowcast_<name>.
        String variants = System.getProperty("nab.flowcast.variants", "");
        for (String variant : variants.split(";")) {
            if (!variant.isBlank()) {
                String[] nameAndSettings = variant.split(":", 2);
                OnlineFlowScorer.Settings config =
                        FlowcastDetector.settings(flowcast, nameAndSettings.length > 1 ? nameAndSettings[1] : "");
                detectors.put("flowcast_" + nameAndSettings[0].trim(), c -> new FlowcastDetector(config, c));
            }
        }
        // -Dnab.live=true adds flowcast_live: the same flow graded by the live topology's per-entity evidence
        // (EntityEvidence with its defaults, the configured flowcast.evidence.*), so the NAB figure of what the live
        // service alarms on is measured rather than assumed. It refits every flow again: opt-in.
        if (Boolean.getBoolean("nab.live")) {
            detectors.put("flowcast_live",
                    c -> FlowcastDetector.live(flowcast, c, EntityEvidence.Settings.defaults()));
        }
        detectors.put("rcf", c -> new RcfDetector(RcfDetector.Config.nab(1, RcfDetector.Output.SCORE)));
        detectors.put("rcf_grade", c -> new RcfDetector(RcfDetector.Config.nab(1, RcfDetector.Output.GRADE)));
        detectors.put("rcf_shingle8", c -> new RcfDetector(RcfDetector.Config.nab(8, RcfDetector.Output.SCORE)));
        detectors.put("rcf_shingle8_grade", c -> new RcfDetector(RcfDetector.Config.nab(8, RcfDetector.Output.GRADE)));
        detectors.put("windowed_gaussian", c -> new WindowedGaussianDetector());
        return detectors;
    }

    /**
     * Runs the benchmark and prints its tables to {@code System.out}.
     *
     * @param dataDir   folder holding {@code <category>/<file>.csv}
     * @param labels    NAB's {@code combined_windows.json} (or any file in its format)
     * @param detectors detector name (a JSON key prefix such as {@code rcf}) to factory, in report order
     * @return flat JSON map: {@code <name>_standard}, {@code <name>_low_fp}, {@code <name>_low_fn},
     *         {@code <name>_records_per_s}, thresholds, raw and per-category scores, and corpus sizes
     */
    public static Map<String, Object> run(Path dataDir, Path labels, Map<String, DetectorFactory> detectors)
            throws IOException {
        PrintStream out = System.out;
        NabLabels windows = NabLabels.read(labels);
        NabCorpusReader.Corpus corpus = NabCorpusReader.read(dataDir);
        List<NabSeries> series = corpus.series().stream().filter(s -> windows.covers(s.name())).toList();
        Set<String> warnings = new LinkedHashSet<>(windows.warnings());
        warnings.addAll(corpus.warnings());
        corpus.series().stream().filter(s -> !windows.covers(s.name()))
                .forEach(s -> warnings.add(s.name() + ": not in the labels; not scored"));
        long records = series.stream().mapToLong(NabSeries::size).sum();
        out.printf("nab: %d files, %d records from %s; labels %s%n", series.size(), records, dataDir, labels);

        Map<String, NabReport.Result> results = new LinkedHashMap<>();
        int windowCount = 0;
        for (Map.Entry<String, DetectorFactory> detector : detectors.entrySet()) {
            DetectorRun run = NabHarness.stream(detector.getKey(), detector.getValue(), series,
                    Integer.getInteger("nab.threads", 3));
            NabScore score = new NabScorer(windows).score(run.output());
            warnings.addAll(score.warnings());
            windowCount = score.profile(NabProfile.STANDARD).windows();
            results.put(detector.getKey(), new NabReport.Result(run, score, SplitScores.of(windows, run.output())));
            out.printf("nab: %-20s done, %.0f records/s per stream, %.0f s wall; standard %.1f, low FP %.1f, "
                    + "low FN %.1f%n", detector.getKey(), run.recordsPerSecond(), run.wallNanos() / 1e9,
                    score.profile(NabProfile.STANDARD).normalizedScore(),
                    score.profile(NabProfile.REWARD_LOW_FP_RATE).normalizedScore(),
                    score.profile(NabProfile.REWARD_LOW_FN_RATE).normalizedScore());
        }
        warnings.forEach(w -> System.err.println("nab warning: " + w));
        out.print(NabReport.table(results, series.size(), records, windowCount));
        return NabReport.json(results, series.size(), records, windowCount);
    }

    /**
     * Where the data and labels are: a folder of categories, a NAB checkout ({@code data/} and {@code labels/}), or
     * a folder holding {@code nab/}; the labels default to {@code combined_windows.json} beside the data.
     */
    public static Path[] locate(Path data, Path labels) {
        Path dataDir = data;
        if (Files.isDirectory(data.resolve("nab").resolve("data"))) {
            dataDir = data.resolve("nab").resolve("data");
        } else if (Files.isDirectory(data.resolve("data")) && Files.isDirectory(data.resolve("labels"))) {
            dataDir = data.resolve("data");
        }
        Path labelFile = labels != null ? labels
                : dataDir.toAbsolutePath().getParent().resolve("labels").resolve("combined_windows.json");
        return new Path[] {dataDir, labelFile};
    }

    /**
     * {@code NabBench <dataDir> [<labels.json>|-] [<outDir>]}; writes {@code <outDir>/nab.json} (default
     * {@code target/bench}). {@code -Dnab.detectors=rcf,windowed_gaussian} runs a subset of the default detectors.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: NabBench <dataDir> [<labels.json>|-] [<outDir>]");
            System.exit(2);
        }
        Path[] located = locate(Path.of(args[0]), args.length > 1 && !args[1].equals("-") ? Path.of(args[1]) : null);
        Path outDir = Path.of(args.length > 2 ? args[2] : "target/bench");
        Map<String, DetectorFactory> detectors = defaultDetectors();
        String only = System.getProperty("nab.detectors");
        if (only != null && !only.isBlank()) {
            Set<String> keep = new LinkedHashSet<>(Arrays.asList(only.split(",")));
            detectors.keySet().removeIf(name -> !keep.contains(name) && !(keep.contains("flowcast_*")
                    && name.startsWith("flowcast_")));
        }
        Map<String, Object> json = run(located[0], located[1], detectors);
        Files.createDirectories(outDir);
        Path file = outDir.resolve("nab.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        System.out.println("nab: wrote " + file);
    }
}
