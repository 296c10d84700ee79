package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EthUcyReaderTest {

    @Test
    void parsesFloatIdsSplitsAtGapsAndSkipsBadLines() {
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < 5; t++) {
            text.append(780 + 10 * t).append(".0\t1.0\t").append(t).append("\t0\n");
        }
        text.append("840\t1\t9\t9\n"); // time 84 after 82: a gap of one step, so a second track
        text.append("850\t1\t10\t9\n");
        text.append("not a number\t1\t2\t3\n");
        text.append("860\t2\tNaN\t1\n");
        text.append("800\t1\t5\t5\n"); // duplicate (frame, ped)
        text.append("805\t3\t1\t1\n"); // not on the 10-frame grid
        EthUcyReader.Result result = EthUcyReader.parse("f.txt", text.toString());
        assertEquals(4, result.skippedLines());
        assertEquals(2, result.tracks().size());
        Track first = result.tracks().get(0);
        assertEquals(78, first.startTime());
        assertEquals(5, first.length());
        assertEquals(2f, first.xy()[4]);
        assertEquals(84, result.tracks().get(1).startTime());
    }

    @Test
    void slicesTwentyStepWindowsWithStrideOne() {
        float[] xy = new float[2 * 25];
        for (int t = 0; t < 25; t++) {
            xy[2 * t] = t;
        }
        List<TrajectoryWindow> windows = WindowSlicer.standard().slice(List.of(new Track("s", 4, 100, xy),
                new Track("s", 5, 0, new float[2 * 19])));
        assertEquals(6, windows.size(), "25 - 20 + 1 windows; a 19-step track gives none");
        TrajectoryWindow third = windows.get(2);
        assertEquals(100 + 2 + 7, third.time());
        assertEquals(9f, third.observed()[14]);
        assertEquals(10f, third.future()[0]);
        assertEquals(21f, third.future()[22]);
    }

    @Test
    void loadsALeaveOneOutSceneFolder(@TempDir Path root) throws Exception {
        Path scene = root.resolve("zara1");
        for (String part : List.of("train", "val", "test")) {
            Files.createDirectories(scene.resolve(part));
        }
        Files.writeString(scene.resolve("train/a_train.txt"), track(1, 21));
        Files.writeString(scene.resolve("val/a_val.txt"), track(1, 20));
        Files.writeString(scene.resolve("test/b.txt"), track(1, 22) + "garbage\n");
        SceneSplit split = SceneSplit.load(root, "zara1", WindowSlicer.standard());
        assertEquals(2, split.train().size());
        assertEquals(1, split.validation().size());
        assertEquals(3, split.test().size());
        assertEquals(1, split.skippedLines());
    }

    private static String track(int ped, int steps) {
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < steps; t++) {
            text.append(10 * t).append('\t').append(ped).append('\t').append(0.4 * t).append('\t').append(1.0)
                    .append('\n');
        }
        return text.toString();
    }
}
