package io.flowcast.bench.nab;

import io.flowcast.anomaly.AlarmEpisodes;
import io.flowcast.anomaly.EntityEvidence;
import io.flowcast.anomaly.OnlineFlowScorer;
import io.flowcast.anomaly.StreamEvidence;
import io.flowcast.anomaly.nab.FileScore;
import io.flowcast.anomaly.nab.NabLabels;
import io.flowcast.anomaly.nab.NabProfile;
import io.flowcast.anomaly.nab.NabScore;
import io.flowcast.anomaly.nab.ProfileScore;
import io.flowcast.anomaly.nab.ScoredSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Rescoring of a flowcast run kept with {@code -Dnab.dump=DIR}: every record's value and conditional tail (the
 * flow's part, which is deterministic) is replayed, in order, through {@link StreamEvidence} with other settings and
 * scored again, so the alarm side can be studied in seconds instead of refitting every flow. The replay runs exactly
 * the detector's code path after the flow (the same class, each record once, in order), so with the detector's
 * settings it reproduces the detector's scores. For diagnosis and tuning; the bench's figures come from the detector.
 *
 * <p>{@code NabReplay <dumpDir> <labels.json> "name:marginal=500,seasonal=3000,open=0.001,refractory=50;..."}
 * (keys as in {@link FlowcastDetector#evidence}; {@code -Dreplay.files=true} prints every file's share,
 * {@code -Dreplay.out=DIR} writes each variant's scores; {@code live=true} replays the live topology's per-entity
 * evidence instead). Each variant is also scored on both halves of
 * {@link io.flowcast.anomaly.nab.NabSplit}: settings are to be chosen on the tuning half.
 */
public final class NabReplay {

    private NabReplay() {
    }

    record Dumped(String name, long[] time, float[] value, double[] tail, boolean[] graded) {
    }

    public static void main(String[] args) throws IOException {
        NabLabels labels = NabLabels.read(Path.of(args[1]));
        List<Dumped> files = read(Path.of(args[0]));
        boolean perFile = Boolean.getBoolean("replay.files");
        for (String variant : args[2].split(";")) {
            if (variant.isBlank()) {
                continue;
            }
            String[] nameAndSettings = variant.split(":", 2);
            Map<String, String> o = new LinkedHashMap<>();
            if (nameAndSettings.length > 1 && !nameAndSettings[1].isBlank()) {
                for (String kv : nameAndSettings[1].split(",")) {
                    String[] p = kv.split("=", 2);
                    o.put(p[0].trim(), p[1].trim());
                }
            }
            // noflow=true: the flow's tail is left out (1 for every record), to see what the flow adds.
            boolean noFlow = Boolean.parseBoolean(o.remove("noflow"));
            // live=true: the live topology's per-entity evidence (EntityEvidence, its defaults are the configured
            // flowcast.evidence.* values) instead of StreamEvidence; no repeats dropped (live alerts leave that to
            // the alert hysteresis); episodes=true drops them as the default StreamEvidence settings do.
            boolean live = Boolean.parseBoolean(o.remove("live"));
            boolean liveEpisodes = Boolean.parseBoolean(o.remove("episodes"));
            StreamEvidence.Settings settings =
                    FlowcastDetector.evidence(OnlineFlowScorer.Settings.defaults().evidence(), o);
            if (!o.isEmpty()) {
                throw new IllegalArgumentException("unknown evidence settings " + o.keySet());
            }
            List<ScoredSeries> scored = new ArrayList<>();
            for (Dumped f : files) {
                if (live) {
                    scored.add(new ScoredSeries(f.name(), f.time(), live(f, noFlow,
                            liveEpisodes ? new AlarmEpisodes(settings.alarms()) : null)));
                    continue;
                }
                StreamEvidence evidence = new StreamEvidence(settings, 1);
                double[] out = new double[f.tail().length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = 1.0 - evidence.score(f.time()[i], new float[] {f.value()[i]},
                            noFlow ? 1.0 : f.tail()[i], f.graded()[i]);
                }
                scored.add(new ScoredSeries(f.name(), f.time(), out));
            }
            SplitScores split = SplitScores.of(labels, scored);
            print(nameAndSettings[0], split.all(), perFile);
            print("  tune half", split.tune(), false);
            print("  held-out half", split.heldOut(), false);
            print("  held-out at tune thr", split.heldOutAtTuneThreshold(), false);
            String out = System.getProperty("replay.out");
            if (out != null) {
                write(Path.of(out).resolve(nameAndSettings[0]), scored);
            }
        }
    }

    /**
     * The scores the live topology's evidence would give: {@link EntityEvidence} with its default settings, its
     * state carried from record to record as the topology's store carries it, the record's tail NaN (not scored)
     * while the flow warms up.
     */
    static double[] live(Dumped f, boolean noFlow, AlarmEpisodes episodes) {
        EntityEvidence evidence = new EntityEvidence(EntityEvidence.Settings.defaults());
        EntityEvidence.State state = evidence.empty(1);
        double[] out = new double[f.tail().length];
        for (int i = 0; i < out.length; i++) {
            double flowTail = f.graded()[i] ? (noFlow ? 1.0 : f.tail()[i]) : Double.NaN;
            EntityEvidence.Step step = evidence.update(state, f.time()[i], new float[] {f.value()[i]}, flowTail);
            state = step.next();
            double tail = Double.isNaN(step.tail()) ? 1.0 : step.tail();
            out[i] = 1.0 - (episodes == null ? tail : episodes.filter(tail));
        }
        return out;
    }

    /** One file per series: the scores the replay gave each record, one per line, for offline study. */
    private static void write(Path dir, List<ScoredSeries> scored) throws IOException {
        Files.createDirectories(dir);
        for (ScoredSeries series : scored) {
            StringBuilder text = new StringBuilder();
            for (double score : series.scores()) {
                text.append(score).append('\n');
            }
            Files.writeString(dir.resolve(series.name().replace('/', '~')), text);
        }
    }

    private static void print(String name, NabScore score, boolean perFile) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", name));
        for (NabProfile profile : NabProfile.values()) {
            ProfileScore p = score.profile(profile);
            line.append(String.format(Locale.ROOT, " %s %5.1f (%d/%d, FP %d)", profile.shortName(),
                    p.normalizedScore(), p.detectedWindows(), p.windows(), p.falsePositives()));
        }
        ProfileScore std = score.profile(NabProfile.STANDARD);
        line.append("  |");
        std.byCategory().values().forEach(c -> line.append(String.format(Locale.ROOT, " %s %.1f/%d/%d",
                c.category().replace("artificial", "art").replace("real", ""),
                c.normalizedScore(), c.detectedWindows(), c.falsePositives())));
        System.out.println(line);
        if (perFile) {
            for (FileScore file : std.files()) {
                System.out.printf(Locale.ROOT, "    %-60s raw %7.3f found %d/%d FP %d%n", file.name(),
                        file.rawScore(), file.detectedWindows(), file.windows(), file.falsePositives());
            }
        }
    }

    /** Reads every dumped file: columns timestamp, value, raw, tail, graded (1 once a model scores), .... */
    static List<Dumped> read(Path dir) throws IOException {
        List<Dumped> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.sorted().toList()) {
                List<String> lines = Files.readAllLines(p);
                int n = lines.size() - 1;
                long[] time = new long[n];
                float[] value = new float[n];
                double[] tail = new double[n];
                boolean[] graded = new boolean[n];
                boolean hasGraded = lines.get(0).contains("graded");
                for (int i = 0; i < n; i++) {
                    String[] cols = lines.get(i + 1).split(",");
                    time[i] = Long.parseLong(cols[0]);
                    value[i] = (float) Double.parseDouble(cols[1]);
                    tail[i] = Double.parseDouble(cols[3]);
                    // Older dumps lack the column: a model scores a record once its raw score is finite.
                    graded[i] = hasGraded ? cols[4].equals("1") : Double.isFinite(Double.parseDouble(cols[2]));
                }
                files.add(new Dumped(p.getFileName().toString().replace('~', '/'), time, value, tail, graded));
            }
        }
        return files;
    }
}
