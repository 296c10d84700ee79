package io.flowcast.flow.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.flow.BaseKind;
import io.flowcast.flow.FlowConfig;
import io.flowcast.serving.OnnxFlowSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowArtifactTest {

    private static final FlowConfig STUDENT = FlowConfig.builder(3, 4).couplings(2).hiddenWidth(8)
            .base(BaseKind.STUDENT_T).featureNames(java.util.List.of("speed", "heading", "depth")).build();

    @Test
    void saveAndReloadGiveTheSameScoresBitForBit(@TempDir Path dir) throws Exception {
        FlowArtifact original = TestFlows.export(STUDENT, 11);
        Path file = dir.resolve("model.flow");
        original.save(file);
        FlowArtifact reloaded = FlowArtifact.load(file);

        assertArrayEquals(original.toBytes(), reloaded.toBytes(), "re-serialising gives the same bytes");
        assertEquals(original.manifest(), reloaded.manifest());
        int batch = 300;
        float[] x = TestFlows.randomRows(batch, 3, 1);
        float[] c = TestFlows.randomRows(batch, 4, 2);
        try (OnnxFlowSession before = OnnxFlowSession.openOnCpu(original);
                OnnxFlowSession after = OnnxFlowSession.openOnCpu(reloaded)) {
            float[] expected = before.logProb(x, c, batch);
            float[] actual = after.logProb(x, c, batch);
            for (int i = 0; i < batch; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "row " + i);
            }
            float[] contexts = Arrays.copyOf(c, 5 * 4);
            assertArrayEquals(before.sample(contexts, 5, 3, 9L), after.sample(contexts, 5, 3, 9L));
        }
    }

    @Test
    void trainingReportsBecomePlainJsonMetrics(@TempDir Path dir) throws Exception {
        record Epoch(int epoch, double loss) {
        }
        record Report(String objective, java.util.List<Epoch> epochs, long steps, double wallSeconds) {
        }
        Map<String, Object> metrics = FlowOnnxExporter.metricsOf(
                new Report("iid", java.util.List.of(new Epoch(1, 2.5), new Epoch(2, Double.NaN)), 1200L, 3.5));
        io.flowcast.flow.ConditionalFlow flow = new io.flowcast.flow.ConditionalFlow(STUDENT);
        FlowArtifact artifact = new FlowOnnxExporter().export(flow, TestFlows.randomParameters(flow, 1), "m", "2",
                metrics);
        Path file = dir.resolve("m.flow");
        artifact.save(file);
        FlowArtifact reloaded = FlowArtifact.load(file);
        assertEquals(artifact.manifest(), reloaded.manifest());
        assertEquals(1200, ((Number) reloaded.manifest().trainingMetrics().get("steps")).intValue());
        assertEquals(2, ((java.util.List<?>) reloaded.manifest().trainingMetrics().get("epochs")).size());
    }

    @Test
    void exportIsDeterministic() {
        assertArrayEquals(TestFlows.export(STUDENT, 5).toBytes(), TestFlows.export(STUDENT, 5).toBytes());
    }

    @Test
    void onnxMetadataCarriesTheManifest() throws Exception {
        FlowArtifact artifact = TestFlows.export(STUDENT, 3);
        for (byte[] model : new byte[][] {artifact.logProbModel(), artifact.sampleModel()}) {
            Map<String, String> metadata = OnnxMl.ModelProto.parseFrom(model).getMetadataPropsList().stream()
                    .collect(Collectors.toMap(OnnxMl.StringStringEntryProto::getKey,
                            OnnxMl.StringStringEntryProto::getValue));
            assertEquals("test-3-4", metadata.get("flowcast.model_name"));
            assertEquals("v3", metadata.get("flowcast.model_version"));
            assertEquals("[\"speed\",\"heading\",\"depth\"]", metadata.get("flowcast.feature_names"));
            assertEquals("STUDENT_T", metadata.get("flowcast.base"));
            JsonNode df = FlowArtifact.JSON.readTree(metadata.get("flowcast.student_t_df"));
            assertEquals(3, df.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(artifact.manifest().degreesOfFreedom()[i], df.get(i).asDouble(), 0);
                assertTrue(df.get(i).asDouble() > 1);
            }
            JsonNode scaler = FlowArtifact.JSON.readTree(metadata.get("flowcast.scaler"));
            assertEquals(artifact.manifest().scaler().xStd()[1], (float) scaler.get("xStd").get(1).asDouble());
            assertEquals(4, scaler.get("cMean").size());
            JsonNode metrics = FlowArtifact.JSON.readTree(metadata.get("flowcast.training_metrics"));
            assertEquals(7, metrics.get("epochs").asInt());
            assertEquals(STUDENT, FlowArtifact.JSON.readValue(metadata.get("flowcast.config"), FlowConfig.class));
        }
    }

    @Test
    void ortReadsTheMetadataToo() throws OrtException {
        try (OnnxFlowSession session = OnnxFlowSession.openOnCpu(TestFlows.export(STUDENT, 3))) {
            assertEquals("v3", session.manifest().modelVersion());
        }
        try (var env = ai.onnxruntime.OrtEnvironment.getEnvironment().createSession(
                TestFlows.export(STUDENT, 3).logProbModel())) {
            assertEquals("test-3-4", env.getMetadata().getCustomMetadata().get("flowcast.model_name"));
            assertEquals(java.util.Set.of("x", "c"), env.getInputNames());
        }
    }

    @Test
    void withoutContextTheGraphsHaveNoContextInput() throws Exception {
        FlowArtifact artifact = TestFlows.export(FlowConfig.builder(2, 0).couplings(2).hiddenWidth(8).build(), 4);
        assertEquals(java.util.List.of("x"), OnnxMl.ModelProto.parseFrom(artifact.logProbModel()).getGraph()
                .getInputList().stream().map(OnnxMl.ValueInfoProto::getName).toList());
        assertEquals(java.util.List.of("noise"), OnnxMl.ModelProto.parseFrom(artifact.sampleModel()).getGraph()
                .getInputList().stream().map(OnnxMl.ValueInfoProto::getName).toList());
        assertNull(artifact.manifest().degreesOfFreedom());
        assertEquals(0, artifact.manifest().scaler().cMean().length);
    }

    @Test
    void damagedArtifactsAreRejectedWithIoExceptions() throws IOException {
        byte[] good = TestFlows.export(STUDENT, 8).toBytes();
        assertThrows(IOException.class, () -> FlowArtifact.fromBytes(new byte[0]));
        assertThrows(IOException.class, () -> FlowArtifact.fromBytes("not a zip at all".getBytes()));
        assertThrows(IOException.class, () -> FlowArtifact.fromBytes(Arrays.copyOf(good, good.length / 2)));
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x5A;
        assertThrows(IOException.class, () -> FlowArtifact.fromBytes(flipped));

        FlowArtifact artifact = FlowArtifact.fromBytes(good);
        String manifest = FlowArtifact.JSON.writeValueAsString(artifact.manifest());
        assertThrows(IOException.class, () -> FlowArtifact.fromBytes(zip(Map.of(
                FlowArtifact.MANIFEST, manifest.replace("\"formatVersion\" : 1", "\"formatVersion\" : 99").getBytes(),
                FlowArtifact.LOG_PROB, artifact.logProbModel(), FlowArtifact.SAMPLE, artifact.sampleModel(),
                FlowArtifact.PARAMETERS, artifact.parameters().toBytes()))));
        assertThrows(IOException.class, () -> FlowArtifact.fromBytes(zip(Map.of(
                FlowArtifact.MANIFEST, manifest.getBytes(),
                FlowArtifact.LOG_PROB, artifact.sampleModel(), FlowArtifact.SAMPLE, artifact.sampleModel(),
                FlowArtifact.PARAMETERS, artifact.parameters().toBytes()))), "swapped graph fails its checksum");
        assertThrows(IOException.class, () -> FlowArtifact.fromBytes(zip(Map.of(
                FlowArtifact.MANIFEST, "{\"formatVersion\": 1}".getBytes()))));
        assertFalse(manifest.isEmpty());
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
