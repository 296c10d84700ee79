package io.flowcast.topology;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.Contribution;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The JSON of {@code flowcast.scores}, written field by field with Jackson's generator: the same bytes as
 * {@link JsonSerde} writes for an {@link AnomalyDescriptor} (component order, null fields left out), without the
 * reflective bean serializer, which cost about a tenth of a stream thread's time per record. The common, plain
 * descriptor skips even the generator ({@link PlainDescriptorWriter}). Read with {@link JsonSerde}.
 * {@code DescriptorSerdeTest} holds the writers to the same bytes.
 */
public final class DescriptorSerde implements Serde<AnomalyDescriptor> {

    private final JsonSerde<AnomalyDescriptor> json = new JsonSerde<>(AnomalyDescriptor.class);

    @Override
    public Serializer<AnomalyDescriptor> serializer() {
        return (topic, descriptor) -> {
            if (descriptor == null) {
                return null;
            }
            try {
                return write(descriptor);
            } catch (IOException e) {
                throw new SerializationException("cannot write the descriptor of " + descriptor.source(), e);
            }
        };
    }

    @Override
    public Deserializer<AnomalyDescriptor> deserializer() {
        return json.deserializer();
    }

    static byte[] write(AnomalyDescriptor d) throws IOException {
        byte[] plain = PlainDescriptorWriter.write(d);
        return plain != null ? plain : writeWithGenerator(d);
    }

    /** Any descriptor, through Jackson's generator (which escapes text and writes non-finite numbers as strings). */
    static byte[] writeWithGenerator(AnomalyDescriptor d) throws IOException {
        ByteArrayBuilder bytes = new ByteArrayBuilder(512);
        try (JsonGenerator g = JsonSerde.MAPPER.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            text(g, "entityId", d.entityId());
            g.writeNumberField("eventTime", d.eventTime());
            text(g, "stream", d.stream());
            if (d.source() != null) {
                g.writeObjectFieldStart("source");
                text(g, "topic", d.source().topic());
                g.writeNumberField("partition", d.source().partition());
                g.writeNumberField("offset", d.source().offset());
                g.writeEndObject();
            }
            if (d.model() != null) {
                g.writeObjectFieldStart("model");
                text(g, "name", d.model().name());
                g.writeNumberField("version", d.model().version());
                g.writeEndObject();
            }
            number(g, "logDensity", d.logDensity());
            number(g, "tailProbability", d.tailProbability());
            number(g, "grade", d.grade());
            number(g, "threshold", d.threshold());
            g.writeBooleanField("anomalous", d.anomalous());
            g.writeBooleanField("warmingUp", d.warmingUp());
            attribution(g, d.attribution());
            if (d.expected() != null) {
                g.writeObjectFieldStart("expected");
                for (Map.Entry<String, Double> e : d.expected().entrySet()) {
                    g.writeFieldName(e.getKey());
                    if (e.getValue() == null) {
                        g.writeNull();
                    } else {
                        g.writeNumber(e.getValue());
                    }
                }
                g.writeEndObject();
            }
            if (d.attributes() != null) {
                g.writeObjectFieldStart("attributes");
                for (Map.Entry<String, String> e : d.attributes().entrySet()) {
                    g.writeFieldName(e.getKey());
                    if (e.getValue() == null) {
                        g.writeNull();
                    } else {
                        g.writeString(e.getValue());
                    }
                }
                g.writeEndObject();
            }
            if (d.scoredAt() != null) {
                g.writeNumberField("scoredAt", d.scoredAt());
            }
            number(g, "innovationLogDensity", d.innovationLogDensity());
            number(g, "innovationTailProbability", d.innovationTailProbability());
            number(g, "evidenceTailProbability", d.evidenceTailProbability());
            g.writeEndObject();
        }
        return bytes.toByteArray();
    }

    private static void attribution(JsonGenerator g, List<Contribution> attribution) throws IOException {
        if (attribution == null) {
            return;
        }
        g.writeArrayFieldStart("attribution");
        for (Contribution c : attribution) {
            if (c == null) {
                g.writeNull();
                continue;
            }
            g.writeStartObject();
            text(g, "feature", c.feature());
            g.writeNumberField("contribution", c.contribution());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Null fields are left out, as {@code @JsonInclude(NON_NULL)} on the descriptor says. */
    private static void text(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void number(JsonGenerator g, String name, Double value) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value.doubleValue());
        }
    }
}
