package io.flowcast.topology;

import org.apache.kafka.common.serialization.Serde;

/** A topic and the serdes of its keys and values: the one place that says how a topic's bytes are read. */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
}
