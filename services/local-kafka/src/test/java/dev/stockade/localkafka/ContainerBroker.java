package dev.stockade.localkafka;

import org.testcontainers.kafka.KafkaContainer;

import java.util.Map;

/**
 * Kafka 4.1.2 in a Docker container (Testcontainers). Loaded only when
 * {@link KafkaTestSupport#containersAvailable()} is true, so modules without Testcontainers on
 * their test classpath never touch this class.
 */
final class ContainerBroker implements KafkaTestSupport.Broker {

    /** The same Kafka version as the in-JVM broker. */
    static final String IMAGE = "apache/kafka:4.1.2";

    private final KafkaContainer container;

    private ContainerBroker(KafkaContainer container) {
        this.container = container;
    }

    static ContainerBroker start() {
        KafkaContainer container = new KafkaContainer(IMAGE);
        container.start();
        return new ContainerBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void createTopic(String name, int partitions, boolean compacted) {
        new Topics(bootstrapServers(), (short) 1).create(name, partitions,
                compacted ? Map.of("cleanup.policy", "compact") : Map.of());
    }

    @Override
    public void close() {
        container.stop();
    }
}
