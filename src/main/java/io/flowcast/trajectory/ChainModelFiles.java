package io.flowcast.trajectory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowcast.anomaly.ModelRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An exported flow chain on disk, as the service loads it ({@code flowcast.forecast.chain-model}): the three fused
 * ONNX graphs of {@link ChainGraphs} ({@code forecast.onnx}, {@code path.onnx}, {@code marginal.onnx}) and a
 * manifest {@code chain.json} with the model's name and version and the layout the graphs were built for (observed
 * steps, horizons, step in seconds, trend width, the forecast graph's form). The manifest is written last, so a
 * directory without one is an unfinished export.
 */
public final class ChainModelFiles {

    public static final String MANIFEST = "chain.json";
    static final String FORECAST = "forecast.onnx";
    static final String PATH = "path.onnx";
    static final String MARGINAL = "marginal.onnx";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a directory holds: ready for {@link OnnxChainSession#open}. */
    public record Chain(ModelRef model, ChainLayout layout, double stepSeconds, ChainGraphs.Models models) {
    }

    private ChainModelFiles() {
    }

    /** Exports {@code chain} as version {@code model} into {@code dir} (created if missing). */
    public static Chain write(Path dir, FlowChain chain, ModelRef model, double stepSeconds) {
        ChainGraphs.Models models = new ChainGraphs(chain).export(model.name(), Integer.toString(model.version()));
        ChainLayout layout = chain.layout();
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(FORECAST), models.forecast());
            Files.write(dir.resolve(PATH), models.path());
            Files.write(dir.resolve(MARGINAL), models.marginal());
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format", FORMAT);
            manifest.put("name", model.name());
            manifest.put("version", model.version());
            manifest.put("observedSteps", layout.observedSteps());
            manifest.put("horizons", layout.futureSteps());
            manifest.put("stepSeconds", stepSeconds);
            manifest.put("featureWidth", layout.featureWidth());
            manifest.put("forecastPerAgent", models.forecastPerAgent());
            Path temporary = dir.resolve(MANIFEST + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), manifest);
            Files.move(temporary, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chain to " + dir, e);
        }
        return new Chain(model, layout, stepSeconds, models);
    }

    /**
     * Reads an export; an {@link IOException} says what is missing or inconsistent (the caller falls back to
     * another model and logs it).
     */
    public static Chain read(Path dir) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException("no " + MANIFEST + " in " + dir);
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(manifestFile.toFile());
        } catch (IOException e) {
            throw new IOException("unreadable " + manifestFile + ": " + e.getMessage(), e);
        }
        if (manifest == null || manifest.path("format").asInt(-1) != FORMAT) {
            throw new IOException(manifestFile + " is not a chain manifest of format " + FORMAT);
        }
        String name = manifest.path("name").asText("");
        int version = manifest.path("version").asInt(-1);
        int observed = manifest.path("observedSteps").asInt(-1);
        int horizons = manifest.path("horizons").asInt(-1);
        double stepSeconds = manifest.path("stepSeconds").asDouble(Double.NaN);
        int featureWidth = manifest.path("featureWidth").asInt(-1);
        if (name.isBlank() || version < 1 || observed < 3 || horizons < 1 || !(stepSeconds > 0)
                || Double.isInfinite(stepSeconds)) {
            throw new IOException(manifestFile + " lacks a name, version >= 1, observedSteps >= 3, horizons >= 1"
                    + " or a positive stepSeconds");
        }
        ChainLayout layout = new ChainLayout(observed, horizons, stepSeconds);
        if (layout.featureWidth() != featureWidth) {
            throw new IOException(manifestFile + " says " + featureWidth + " trend features, its layout has "
                    + layout.featureWidth());
        }
        ChainGraphs.Models models = new ChainGraphs.Models(horizons, featureWidth,
                bytes(dir.resolve(FORECAST)), bytes(dir.resolve(PATH)), bytes(dir.resolve(MARGINAL)),
                manifest.path("forecastPerAgent").asBoolean(false));
        return new Chain(new ModelRef(name, version), layout.withSpeedScale(speedScaleOf(models, layout)),
                stepSeconds, models);
    }

    /**
     * The speed-relative frame a chain was trained in travels in its graphs' metadata (not in the manifest, so every
     * way of loading graphs agrees); a graph without it keeps metres.
     */
    private static SpeedScale speedScaleOf(ChainGraphs.Models models, ChainLayout manifestLayout) throws IOException {
        ChainLayout fromGraphs;
        try {
            fromGraphs = ChainGraphs.layoutOf(models);
        } catch (IllegalArgumentException e) {
            throw new IOException("unreadable forecast graph metadata: " + e.getMessage(), e);
        }
        return fromGraphs.observedSteps() == manifestLayout.observedSteps()
                && fromGraphs.futureSteps() == manifestLayout.futureSteps() ? fromGraphs.speedScale() : SpeedScale.NONE;
    }

    private static byte[] bytes(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("missing " + file);
        }
        return Files.readAllBytes(file);
    }
}
