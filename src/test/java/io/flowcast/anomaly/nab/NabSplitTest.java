package io.flowcast.anomaly.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NabSplitTest {

    private static List<String> corpus() {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            files.add("real/f" + i + ".csv");
        }
        for (int i = 0; i < 4; i++) {
            files.add("art/g" + i + ".csv");
        }
        files.add("lonely/only.csv");
        return files;
    }

    @Test
    void eachCategoryIsSplitEvenlyWithTheOddFileInTheTuningHalf() {
        NabSplit split = NabSplit.of(corpus());
        assertEquals(4 + 2 + 1, split.files(NabSplit.Half.TUNE).size());
        assertEquals(3 + 2, split.files(NabSplit.Half.HELD_OUT).size());
        long realTune = split.files(NabSplit.Half.TUNE).stream().filter(f -> f.startsWith("real/")).count();
        long artTune = split.files(NabSplit.Half.TUNE).stream().filter(f -> f.startsWith("art/")).count();
        assertEquals(4, realTune);
        assertEquals(2, artTune);
        assertEquals(NabSplit.Half.TUNE, split.half("lonely/only.csv"));
        assertThrows(IllegalArgumentException.class, () -> split.half("real/unknown.csv"));
    }

    @Test
    void theSplitDependsOnTheKeysOnlyNotOnTheirOrder() {
        NabSplit reference = NabSplit.of(corpus());
        List<String> shuffled = new ArrayList<>(corpus());
        shuffled.addAll(corpus());
        Collections.shuffle(shuffled, new Random(3));
        NabSplit again = NabSplit.of(shuffled);
        for (String file : corpus()) {
            assertEquals(reference.half(file), again.half(file), file);
        }
    }

    @Test
    void selectKeepsTheSeriesOfOneHalfInOrder() {
        NabSplit split = NabSplit.of(corpus());
        List<ScoredSeries> series = corpus().stream()
                .map(name -> new ScoredSeries(name, new long[] {0L}, new double[] {0.0})).toList();
        List<ScoredSeries> tune = split.select(series, NabSplit.Half.TUNE);
        List<ScoredSeries> heldOut = split.select(series, NabSplit.Half.HELD_OUT);
        assertEquals(series.size(), tune.size() + heldOut.size());
        assertTrue(tune.stream().allMatch(s -> split.half(s.name()) == NabSplit.Half.TUNE));
        assertTrue(heldOut.stream().allMatch(s -> split.half(s.name()) == NabSplit.Half.HELD_OUT));
        List<String> order = tune.stream().map(ScoredSeries::name).toList();
        List<String> expected = corpus().stream().filter(n -> split.half(n) == NabSplit.Half.TUNE).toList();
        assertEquals(expected, order);
    }
}
