package io.flowcast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The figures of one benchmark run, in insertion order: written as {@code NAME.json}. */
final class BenchReport {

    private final String name;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    BenchReport(String name) {
        this.name = name;
    }

    BenchReport put(String key, Object value) {
        if (value instanceof Double number && !Double.isFinite(number)) {
            value = null; // JSON has no NaN; absent figures are null
        }
        figures.put(key, value);
        return this;
    }

    Path write(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Path file = outDir.resolve(name + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), figures);
        System.out.println("wrote " + file);
        return file;
    }
}
