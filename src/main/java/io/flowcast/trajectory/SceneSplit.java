package io.flowcast.trajectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One leave-one-scene-out split of ETH/UCY: a folder named after its test scene holding {@code train/}, {@code val/}
 * (the other four scenes, each recording split in time) and {@code test/} (the whole held-out recording).
 */
public record SceneSplit(String scene, List<TrajectoryWindow> train, List<TrajectoryWindow> validation,
        List<TrajectoryWindow> test, int skippedLines) {

    public static final List<String> SCENES = List.of("eth", "hotel", "univ", "zara1", "zara2");

    public static SceneSplit load(Path root, String scene, WindowSlicer slicer) throws IOException {
        Path folder = root.resolve(scene);
        if (!Files.isDirectory(folder)) {
            throw new IOException("no scene folder " + folder);
        }
        int[] skipped = new int[1];
        List<TrajectoryWindow> train = windows(folder.resolve("train"), slicer, skipped);
        List<TrajectoryWindow> validation = windows(folder.resolve("val"), slicer, skipped);
        List<TrajectoryWindow> test = windows(folder.resolve("test"), slicer, skipped);
        return new SceneSplit(scene, train, validation, test, skipped[0]);
    }

    /** All the tracks of the {@code .txt} files in a folder, in file-name order; a missing folder gives none. */
    public static List<Track> tracks(Path folder, int[] skipped) throws IOException {
        List<Track> tracks = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return tracks;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        for (Path file : files) {
            EthUcyReader.Result result = EthUcyReader.read(file);
            tracks.addAll(result.tracks());
            skipped[0] += result.skippedLines();
        }
        return tracks;
    }

    private static List<TrajectoryWindow> windows(Path folder, WindowSlicer slicer, int[] skipped) throws IOException {
        return List.copyOf(slicer.slice(tracks(folder, skipped)));
    }
}
