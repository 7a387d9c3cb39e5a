package dev.stockade.listener;

import dev.stockade.localkafka.KafkaTestSupport;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real broker for {@code @QuarkusTest}s (see {@link KafkaTestSupport}: external, container or
 * in-JVM), with the compacted resources topic created as Strimzi creates it in the cluster.
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    /** The topic name of application.properties ({@code stockade.topics.resources}). */
    static final String RESOURCES_TOPIC = "stockade.resources";

    private static volatile String bootstrap;
    private KafkaTestSupport kafka;

    @Override
    public Map<String, String> start() {
        kafka = KafkaTestSupport.start();
        kafka.createTopic(RESOURCES_TOPIC, 1, true);
        bootstrap = kafka.bootstrapServers();
        return Map.of("kafka.bootstrap.servers", bootstrap);
    }

    /** The running broker's bootstrap servers, for the test's own clients. */
    static String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
