package io.flowcast.embedded;

import io.flowcast.topology.TopicSpec;
import io.flowcast.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates the topics Flowcast reads and writes, when they are missing. Data topics get the configured partition
 * count; {@code flowcast.models} is compacted with a single partition, so the registry reads its history in order.
 */
public final class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicProvisioner() {
    }

    /** Creates the missing topics and returns the names of those it created. */
    public static List<String> ensureTopics(String bootstrapServers, int partitions, short replicationFactor) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "flowcast-topic-provisioner"))) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec<?, ?> topic : Topics.ALL) {
                if (!existing.contains(topic.name())) {
                    missing.add(newTopic(topic, partitions, replicationFactor));
                }
            }
            List<String> created = new ArrayList<>();
            for (Map.Entry<String, KafkaFuture<Void>> result
                    : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    created.add(result.getKey());
                } catch (ExecutionException e) {
                    // Another instance may have created it meanwhile: that is what we wanted.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + result.getKey(), e.getCause());
                    }
                }
            }
            if (!created.isEmpty()) {
                LOG.infof("Created topics %s", created);
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " to create topics", e);
        }
    }

    private static NewTopic newTopic(TopicSpec<?, ?> topic, int partitions, short replicationFactor) {
        if (Topics.COMPACTED.contains(topic)) {
            return new NewTopic(topic.name(), 1, replicationFactor)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        return new NewTopic(topic.name(), partitions, replicationFactor);
    }
}
