package io.flowcast.anomaly.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The label windows of a NAB corpus, read from {@code combined_windows.json}:
 * {@code {"<category>/<file>.csv": [["<start>", "<end>"], ...]}}. Entries that cannot be read are skipped and
 * described in {@link #warnings()} rather than failing the whole file: one bad window should not hide the others.
 */
public final class NabLabels {

    private final Map<String, List<LabelWindow>> windowsByFile;
    private final List<String> warnings;

    public NabLabels(Map<String, List<LabelWindow>> windowsByFile, List<String> warnings) {
        Map<String, List<LabelWindow>> copy = new LinkedHashMap<>();
        windowsByFile.forEach((file, windows) -> {
            List<LabelWindow> sorted = new ArrayList<>(windows);
            sorted.sort(Comparator.comparingLong(LabelWindow::startMillis));
            copy.put(file, List.copyOf(sorted));
        });
        this.windowsByFile = Collections.unmodifiableMap(copy);
        this.warnings = List.copyOf(warnings);
    }

    public static NabLabels read(Path windowsJson) throws IOException {
        try (InputStream in = Files.newInputStream(windowsJson)) {
            return read(in);
        }
    }

    public static NabLabels read(InputStream windowsJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(windowsJson);
        if (root == null || !root.isObject()) {
            throw new IOException("a NAB windows file is a JSON object keyed by data file");
        }
        Map<String, List<LabelWindow>> windowsByFile = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            windowsByFile.put(entry.getKey(), readWindows(entry.getKey(), entry.getValue(), warnings));
        }
        return new NabLabels(windowsByFile, warnings);
    }

    private static List<LabelWindow> readWindows(String file, JsonNode node, List<String> warnings) {
        List<LabelWindow> windows = new ArrayList<>();
        if (!node.isArray()) {
            warnings.add(file + ": windows are not a list; file has no usable windows");
            return windows;
        }
        for (JsonNode pair : node) {
            OptionalLong start = pair.isArray() && pair.size() == 2 ? NabTimestamps.parseMillis(pair.get(0).asText()) : OptionalLong.empty();
            OptionalLong end = pair.isArray() && pair.size() == 2 ? NabTimestamps.parseMillis(pair.get(1).asText()) : OptionalLong.empty();
            if (start.isEmpty() || end.isEmpty() || end.getAsLong() < start.getAsLong()) {
                warnings.add(file + ": skipped unreadable window " + pair);
                continue;
            }
            windows.add(new LabelWindow(start.getAsLong(), end.getAsLong()));
        }
        return windows;
    }

    /** Whether the labels list this file at all (an empty window list still means "labelled, no anomaly"). */
    public boolean covers(String file) {
        return windowsByFile.containsKey(file);
    }

    /** The file's windows sorted by start; empty when it has none or is not listed. */
    public List<LabelWindow> windows(String file) {
        return windowsByFile.getOrDefault(file, List.of());
    }

    public Map<String, List<LabelWindow>> windowsByFile() {
        return windowsByFile;
    }

    public List<String> warnings() {
        return warnings;
    }
}
