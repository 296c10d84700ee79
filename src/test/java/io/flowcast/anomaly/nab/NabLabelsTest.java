package io.flowcast.anomaly.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabLabelsTest {

    @Test
    void timestampsWithAndWithoutMicrosecondsAreTheSameInstant() {
        long plain = NabTimestamps.parseMillis("2014-02-19 10:50:00").orElseThrow();
        long micro = NabTimestamps.parseMillis("2014-02-19 10:50:00.000000").orElseThrow();
        assertEquals(plain, micro);
        assertEquals(1392807000000L, plain);
        assertEquals(plain + 250, NabTimestamps.parseMillis("2014-02-19 10:50:00.250000").orElseThrow());
        assertTrue(NabTimestamps.parseMillis("19/02/2014").isEmpty());
        assertTrue(NabTimestamps.parseMillis(null).isEmpty());
    }

    @Test
    void readsWindowsSortedAndSkipsBrokenOnes() throws IOException {
        String json = """
                {"realKnownCause/a.csv": [["2014-02-19 12:00:00.000000", "2014-02-19 13:00:00.000000"],
                                          ["2014-02-19 10:50:00.000000", "2014-02-19 11:00:00.000000"],
                                          ["not a time", "2014-02-19 11:00:00.000000"],
                                          ["2014-02-19 11:00:00", "2014-02-19 10:00:00"]],
                 "artificialNoAnomaly/b.csv": [],
                 "x/c.csv": "oops"}
                """;
        NabLabels labels = NabLabels.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        List<LabelWindow> windows = labels.windows("realKnownCause/a.csv");
        assertEquals(2, windows.size());
        assertEquals(NabTimestamps.parseMillis("2014-02-19 10:50:00").orElseThrow(), windows.get(0).startMillis());
        assertTrue(labels.covers("artificialNoAnomaly/b.csv"));
        assertTrue(labels.windows("artificialNoAnomaly/b.csv").isEmpty());
        assertFalse(labels.covers("missing.csv"));
        assertTrue(labels.covers("x/c.csv"));
        assertEquals(3, labels.warnings().size());
    }

    @Test
    void rejectsAFileThatIsNotAnObject() {
        assertThrows(IOException.class,
                () -> NabLabels.read(new ByteArrayInputStream("[1, 2]".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void readsADataFolderInNabLayout(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("realAdExchange"));
        Files.writeString(dir.resolve("realAdExchange/x.csv"), """
                timestamp,value
                2011-07-01 00:00:01,0.08
                2011-07-01 01:00:01,oops
                bad row
                2011-07-01 02:00:01,0.12
                """);
        Files.writeString(dir.resolve("realAdExchange/empty.csv"), "timestamp,value\n");
        Files.writeString(dir.resolve("notes.txt"), "not data");
        NabCorpusReader.Corpus corpus = NabCorpusReader.read(dir);
        assertEquals(1, corpus.series().size());
        NabSeries series = corpus.series().get(0);
        assertEquals("realAdExchange/x.csv", series.name());
        assertEquals("realAdExchange", series.category());
        assertEquals(2, series.size());
        assertEquals(0.12, series.values()[1], 0.0);
        assertEquals(2 * 3600_000L, series.timestampsMillis()[1] - series.timestampsMillis()[0]);
        assertEquals(2, corpus.warnings().size());
    }
}
