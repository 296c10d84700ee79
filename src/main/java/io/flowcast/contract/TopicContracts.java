package io.flowcast.contract;

import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every topic's contract, compiled once from the schemas shipped on the classpath ({@code schemas/<topic>.schema.json}).
 * The schemas' {@code $id}s live under {@link #SCHEMA_BASE_IRI}; that prefix is mapped to the classpath, so
 * {@code $ref}s between them (to {@code flowcast.common.schema.json}) resolve offline.
 */
public final class TopicContracts {

    /** The base of every Flowcast schema {@code $id}. Nothing is fetched from it. */
    public static final String SCHEMA_BASE_IRI = "https://flowcast.io/schemas/";

    /** The largest input record read by default: Kafka's default maximum message size. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_048_576;

    private final Map<String, TopicContract> contracts;

    private TopicContracts(Map<String, TopicContract> contracts) {
        this.contracts = contracts;
    }

    /** The contracts of every topic in {@link TopicNames#ALL}, compiled once per JVM. */
    public static TopicContracts shared() {
        return Shared.INSTANCE;
    }

    /** Compiles every topic's schema; fails fast (IllegalStateException) when one is missing or broken. */
    public static TopicContracts load() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(SCHEMA_BASE_IRI, "classpath:schemas/")));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_PATH)
                .locale(Locale.ROOT) // the same English messages on every host, whatever its default locale
                .formatAssertionsEnabled(true)
                .build();
        Map<String, TopicContract> contracts = new LinkedHashMap<>();
        for (String topic : TopicNames.ALL) {
            String iri = schemaIri(topic);
            try {
                contracts.put(topic, new TopicContract(topic, factory.getSchema(SchemaLocation.of(iri), config)));
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot load the contract of " + topic + " from " + iri, e);
            }
        }
        return new TopicContracts(Map.copyOf(contracts));
    }

    /** The {@code $id} of a topic's schema. */
    public static String schemaIri(String topic) {
        return SCHEMA_BASE_IRI + topic + ".schema.json";
    }

    /** The contract of {@code topic}; IllegalArgumentException for a topic without one. */
    public TopicContract forTopic(String topic) {
        TopicContract contract = contracts.get(topic);
        if (contract == null) {
            throw new IllegalArgumentException("no contract for topic " + topic + "; known: " + TopicNames.ALL);
        }
        return contract;
    }

    public Optional<TopicContract> find(String topic) {
        return Optional.ofNullable(contracts.get(topic));
    }

    private static final class Shared {
        static final TopicContracts INSTANCE = load();
    }
}
