package io.flowcast.anomaly.nab;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Reads every {@code *.csv} under a NAB data folder ({@code <category>/<file>.csv}, header {@code timestamp,value}).
 * Rows that cannot be read are skipped and counted in the warnings; a file with no readable row is left out.
 */
public final class NabCorpusReader {

    /** The files read, sorted by key, and what was skipped on the way. */
    public record Corpus(List<NabSeries> series, List<String> warnings) {
        public long records() {
            return series.stream().mapToLong(NabSeries::size).sum();
        }
    }

    private NabCorpusReader() {
    }

    public static Corpus read(Path dataDir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .sorted()
                    .toList();
        }
        List<NabSeries> series = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Path file : files) {
            String key = dataDir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            NabSeries read = readFile(key, file, warnings);
            if (read.size() == 0) {
                warnings.add(key + ": no readable records; left out");
            } else {
                series.add(read);
            }
        }
        return new Corpus(List.copyOf(series), List.copyOf(warnings));
    }

    static NabSeries readFile(String key, Path file, List<String> warnings) throws IOException {
        long[] timestamps = new long[1024];
        double[] values = new double[1024];
        int n = 0;
        int skipped = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            boolean first = true;
            while ((line = reader.readLine()) != null) {
                if (first) {
                    first = false;
                    if (line.startsWith("timestamp")) {
                        continue;
                    }
                }
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                OptionalLong time = comma < 0 ? OptionalLong.empty() : NabTimestamps.parseMillis(line.substring(0, comma));
                double value = comma < 0 ? Double.NaN : parseValue(line.substring(comma + 1));
                if (time.isEmpty() || !Double.isFinite(value)) {
                    skipped++;
                    continue;
                }
                if (n == values.length) {
                    timestamps = Arrays.copyOf(timestamps, 2 * n);
                    values = Arrays.copyOf(values, 2 * n);
                }
                timestamps[n] = time.getAsLong();
                values[n] = value;
                n++;
            }
        }
        if (skipped > 0) {
            warnings.add(key + ": skipped " + skipped + " unreadable rows");
        }
        return new NabSeries(key, Arrays.copyOf(timestamps, n), Arrays.copyOf(values, n));
    }

    private static double parseValue(String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
