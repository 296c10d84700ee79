package io.flowcast.topology;

import io.flowcast.anomaly.AnomalyDescriptor;
import io.flowcast.anomaly.Contribution;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes the JSON of the common descriptor straight into bytes: every text plain printable ASCII (nothing to
 * escape) and every number finite. That is the shape of nearly every descriptor, and for it the bytes are exactly
 * those of Jackson's generator in {@link DescriptorSerde} (same field order, null fields left out, doubles as
 * {@link Double#toString}, which is what Jackson writes), without the generator's per-record set-up, context
 * tracking and per-character escaping. Anything else (a text to escape or beyond ASCII, a NaN or an infinity, a
 * null inside a map or list) makes {@link #write} answer {@code null}, and the generator writes that descriptor.
 * {@code DescriptorSerdeTest} holds both writers to the same bytes.
 */
final class PlainDescriptorWriter {

    private static final byte[] ENTITY_ID = field("{", "entityId");
    private static final byte[] EVENT_TIME = field(",", "eventTime");
    private static final byte[] STREAM = field(",", "stream");
    private static final byte[] SOURCE_TOPIC = ascii(",\"source\":{\"topic\":");
    private static final byte[] PARTITION = field(",", "partition");
    private static final byte[] OFFSET = field(",", "offset");
    private static final byte[] MODEL_NAME = ascii(",\"model\":{\"name\":");
    private static final byte[] VERSION = field(",", "version");
    private static final byte[] LOG_DENSITY = field(",", "logDensity");
    private static final byte[] TAIL_PROBABILITY = field(",", "tailProbability");
    private static final byte[] GRADE = field(",", "grade");
    private static final byte[] THRESHOLD = field(",", "threshold");
    private static final byte[] ANOMALOUS = field(",", "anomalous");
    private static final byte[] WARMING_UP = field(",", "warmingUp");
    private static final byte[] ATTRIBUTION = ascii(",\"attribution\":[");
    private static final byte[] FEATURE = field("{", "feature");
    private static final byte[] CONTRIBUTION = field(",", "contribution");
    private static final byte[] EXPECTED = ascii(",\"expected\":{");
    private static final byte[] ATTRIBUTES = ascii(",\"attributes\":{");
    private static final byte[] SCORED_AT = field(",", "scoredAt");
    private static final byte[] INNOVATION_LOG_DENSITY = field(",", "innovationLogDensity");
    private static final byte[] INNOVATION_TAIL_PROBABILITY = field(",", "innovationTailProbability");
    private static final byte[] EVIDENCE_TAIL_PROBABILITY = field(",", "evidenceTailProbability");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");

    private byte[] buffer = new byte[512];
    private int size;

    private PlainDescriptorWriter() {
    }

    /** The descriptor's JSON, or {@code null} when it is not plain (the generator writes it then). */
    static byte[] write(AnomalyDescriptor d) {
        PlainDescriptorWriter out = new PlainDescriptorWriter();
        return out.descriptor(d) ? Arrays.copyOf(out.buffer, out.size) : null;
    }

    private boolean descriptor(AnomalyDescriptor d) {
        put(ENTITY_ID);
        if (!text(d.entityId())) {
            return false;
        }
        put(EVENT_TIME);
        number(d.eventTime());
        put(STREAM);
        if (!text(d.stream())) {
            return false;
        }
        if (d.source() != null) {
            put(SOURCE_TOPIC);
            if (!text(d.source().topic())) {
                return false;
            }
            put(PARTITION);
            number(d.source().partition());
            put(OFFSET);
            number(d.source().offset());
            put((byte) '}');
        }
        if (d.model() != null) {
            put(MODEL_NAME);
            if (!text(d.model().name())) {
                return false;
            }
            put(VERSION);
            number(d.model().version());
            put((byte) '}');
        }
        if (!numberField(LOG_DENSITY, d.logDensity()) || !numberField(TAIL_PROBABILITY, d.tailProbability())
                || !numberField(GRADE, d.grade()) || !numberField(THRESHOLD, d.threshold())) {
            return false;
        }
        put(ANOMALOUS);
        put(d.anomalous() ? TRUE : FALSE);
        put(WARMING_UP);
        put(d.warmingUp() ? TRUE : FALSE);
        if (d.attribution() != null && !attribution(d.attribution())) {
            return false;
        }
        if (d.expected() != null && !expected(d.expected())) {
            return false;
        }
        if (d.attributes() != null && !attributes(d.attributes())) {
            return false;
        }
        if (d.scoredAt() != null) {
            put(SCORED_AT);
            number(d.scoredAt());
        }
        if (!numberField(INNOVATION_LOG_DENSITY, d.innovationLogDensity())
                || !numberField(INNOVATION_TAIL_PROBABILITY, d.innovationTailProbability())
                || !numberField(EVIDENCE_TAIL_PROBABILITY, d.evidenceTailProbability())) {
            return false;
        }
        put((byte) '}');
        return true;
    }

    private boolean attribution(List<Contribution> attribution) {
        put(ATTRIBUTION);
        boolean first = true;
        for (Contribution c : attribution) {
            if (c == null || !Double.isFinite(c.contribution())) {
                return false;
            }
            if (!first) {
                put((byte) ',');
            }
            first = false;
            put(FEATURE);
            if (!text(c.feature())) {
                return false;
            }
            put(CONTRIBUTION);
            number(c.contribution());
            put((byte) '}');
        }
        put((byte) ']');
        return true;
    }

    private boolean expected(Map<String, Double> expected) {
        put(EXPECTED);
        boolean first = true;
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            Double value = e.getValue();
            if (value == null || !Double.isFinite(value)) {
                return false;
            }
            if (!first) {
                put((byte) ',');
            }
            first = false;
            if (!name(e.getKey())) {
                return false;
            }
            number(value);
        }
        put((byte) '}');
        return true;
    }

    private boolean attributes(Map<String, String> attributes) {
        put(ATTRIBUTES);
        boolean first = true;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (e.getValue() == null) {
                return false;
            }
            if (!first) {
                put((byte) ',');
            }
            first = false;
            if (!name(e.getKey()) || !text(e.getValue())) {
                return false;
            }
        }
        put((byte) '}');
        return true;
    }

    /** {@code "name":}; false when the name is not plain. */
    private boolean name(String name) {
        if (!text(name)) {
            return false;
        }
        put((byte) ':');
        return true;
    }

    /** A null number is left out; a non-finite one is not plain. */
    private boolean numberField(byte[] field, Double value) {
        if (value == null) {
            return true;
        }
        if (!Double.isFinite(value)) {
            return false;
        }
        put(field);
        number(value);
        return true;
    }

    /**
     * The quoted text; false when it is null (left out or written as null: the generator knows which), or when a
     * character needs escaping or is not ASCII.
     */
    private boolean text(String text) {
        if (text == null) {
            return false;
        }
        int length = text.length();
        ensure(length + 2);
        byte[] b = buffer;
        int at = size;
        b[at++] = '"';
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
            b[at++] = (byte) c;
        }
        b[at++] = '"';
        size = at;
        return true;
    }

    private void number(long value) {
        digits(Long.toString(value));
    }

    private void number(double value) {
        digits(Double.toString(value));
    }

    /** Text known to be ASCII (a number's digits). */
    private void digits(String digits) {
        int length = digits.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            buffer[size++] = (byte) digits.charAt(i);
        }
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    private void put(byte b) {
        ensure(1);
        buffer[size++] = b;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    /** {@code <separator>"name":} */
    private static byte[] field(String separator, String name) {
        return ascii(separator + '"' + name + "\":");
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
