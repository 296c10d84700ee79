package io.flowcast.trajectory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the ETH/UCY text format ({@code frame <TAB> ped <TAB> x <TAB> y}, frame and ped possibly written as floats)
 * into tracks. The time index is {@code frame / 10} (the files step 10 frames per 0.4 s sample); a pedestrian's
 * positions are cut into separate tracks wherever a time step is missing, so every track is gap-free. Lines that do
 * not parse, non-finite values and duplicate (frame, ped) rows are skipped and counted, never fatal.
 */
public final class EthUcyReader {

    /** Frames between consecutive samples in these files. */
    public static final int FRAME_STEP = 10;
    /** Seconds between consecutive samples (nominal; see SOURCE.md for the ETH caveat). */
    public static final float DT = 0.4f;

    /** The tracks of one file and how many lines were skipped. */
    public record Result(List<Track> tracks, int skippedLines) {
    }

    private EthUcyReader() {
    }

    public static Result read(Path file) throws IOException {
        return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    public static Result parse(String source, String text) {
        Map<Integer, TreeMap<Integer, float[]>> byAgent = new TreeMap<>();
        int skipped = 0;
        try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+");
                if (parts.length < 4) {
                    skipped++;
                    continue;
                }
                try {
                    double frame = Double.parseDouble(parts[0]);
                    double ped = Double.parseDouble(parts[1]);
                    float x = Float.parseFloat(parts[2]);
                    float y = Float.parseFloat(parts[3]);
                    if (!Double.isFinite(frame) || !Double.isFinite(ped) || !Float.isFinite(x) || !Float.isFinite(y)
                            || frame < 0 || frame % FRAME_STEP != 0) {
                        skipped++;
                        continue;
                    }
                    int time = (int) (frame / FRAME_STEP);
                    if (byAgent.computeIfAbsent((int) ped, k -> new TreeMap<>()).putIfAbsent(time,
                            new float[] {x, y}) != null) {
                        skipped++;
                    }
                } catch (NumberFormatException e) {
                    skipped++;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading from a string cannot fail", e);
        }
        List<Track> tracks = new ArrayList<>();
        for (Map.Entry<Integer, TreeMap<Integer, float[]>> agent : byAgent.entrySet()) {
            splitAtGaps(source, agent.getKey(), agent.getValue(), tracks);
        }
        return new Result(List.copyOf(tracks), skipped);
    }

    private static void splitAtGaps(String source, int agentId, TreeMap<Integer, float[]> positions,
            List<Track> out) {
        List<float[]> run = new ArrayList<>();
        int start = 0;
        int previous = Integer.MIN_VALUE;
        for (Map.Entry<Integer, float[]> entry : positions.entrySet()) {
            int time = entry.getKey();
            if (!run.isEmpty() && time != previous + 1) {
                out.add(track(source, agentId, start, run));
                run.clear();
            }
            if (run.isEmpty()) {
                start = time;
            }
            run.add(entry.getValue());
            previous = time;
        }
        if (!run.isEmpty()) {
            out.add(track(source, agentId, start, run));
        }
    }

    private static Track track(String source, int agentId, int start, List<float[]> run) {
        float[] xy = new float[run.size() * 2];
        for (int i = 0; i < run.size(); i++) {
            xy[2 * i] = run.get(i)[0];
            xy[2 * i + 1] = run.get(i)[1];
        }
        return new Track(source, agentId, start, xy);
    }
}
