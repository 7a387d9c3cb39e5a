package dev.stockade.localkafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Kafka broker a test talks to, chosen once per call to {@link #start()}:
 * <ol>
 *   <li>{@code TEST_KAFKA_BOOTSTRAP} set: that external broker (nothing is started or stopped);</li>
 *   <li>else, when a Docker engine is reachable and Testcontainers is on the test classpath
 *       (unless {@code TEST_KAFKA_CONTAINER=false}): a Kafka 4.1.2 container ({@link ContainerBroker});</li>
 *   <li>else: {@link LocalKafka}, the in-JVM KRaft broker (what runs on machines without Docker).</li>
 * </ol>
 * Topics are created with the broker's default replication factor, except on {@link LocalKafka}
 * (one replica).
 *
 * <p>The in-JVM broker is the same Kafka code and starts in ~1.5 s; the container is preferred
 * where Docker exists only because it isolates the broker from the test JVM (heap, threads).
 * {@code TEST_KAFKA_CONTAINER=false} turns that off on such machines.
 */
public final class KafkaTestSupport implements AutoCloseable {

    /** Where the broker came from. */
    public enum Kind { EXTERNAL, CONTAINER, LOCAL }

    /** A started broker, whatever its kind. */
    interface Broker extends AutoCloseable {
        String bootstrapServers();

        void createTopic(String name, int partitions, boolean compacted);

        @Override
        void close();
    }

    private final Kind kind;
    private final Broker broker;

    private KafkaTestSupport(Kind kind, Broker broker) {
        this.kind = kind;
        this.broker = broker;
    }

    /** Picks and starts a broker as described above. */
    public static KafkaTestSupport start() {
        String external = System.getenv("TEST_KAFKA_BOOTSTRAP");
        if (external != null && !external.isBlank()) {
            return new KafkaTestSupport(Kind.EXTERNAL, new ExternalBroker(external.trim()));
        }
        if (!"false".equalsIgnoreCase(System.getenv("TEST_KAFKA_CONTAINER")) && containersAvailable()) {
            return new KafkaTestSupport(Kind.CONTAINER, ContainerBroker.start());
        }
        return startLocal();
    }

    /** Always the in-JVM broker, whatever the environment says. */
    public static KafkaTestSupport startLocal() {
        return new KafkaTestSupport(Kind.LOCAL, new LocalBroker(LocalKafka.start()));
    }

    /** Always a container; callers check {@link #containersAvailable()} first and skip otherwise. */
    public static KafkaTestSupport startContainer() {
        return new KafkaTestSupport(Kind.CONTAINER, ContainerBroker.start());
    }

    /** A Docker engine socket exists and Testcontainers' Kafka module is on the classpath. */
    public static boolean containersAvailable() {
        return dockerAvailable() && onClasspath("org.testcontainers.kafka.KafkaContainer");
    }

    /** {@code DOCKER_HOST} is set or {@code /var/run/docker.sock} exists. */
    public static boolean dockerAvailable() {
        String host = System.getenv("DOCKER_HOST");
        return (host != null && !host.isBlank()) || Files.exists(Path.of("/var/run/docker.sock"));
    }

    public Kind kind() {
        return kind;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Creates the topic unless it exists; a compacted topic has {@code cleanup.policy=compact}. */
    public void createTopic(String name, int partitions, boolean compacted) {
        broker.createTopic(name, partitions, compacted);
    }

    /** Stops what {@link #start()} started; an external broker is left running. */
    @Override
    public void close() {
        broker.close();
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, KafkaTestSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The in-JVM broker. */
    private record LocalBroker(LocalKafka kafka) implements Broker {
        @Override
        public String bootstrapServers() {
            return kafka.bootstrapServers();
        }

        @Override
        public void createTopic(String name, int partitions, boolean compacted) {
            kafka.createTopic(name, partitions, compacted);
        }

        @Override
        public void close() {
            kafka.close();
        }
    }

    /** A broker someone else runs; topics get its default replication factor. */
    private record ExternalBroker(String bootstrapServers) implements Broker {
        @Override
        public void createTopic(String name, int partitions, boolean compacted) {
            new Topics(bootstrapServers, (short) -1).create(name, partitions,
                    compacted ? Map.of("cleanup.policy", "compact") : Map.of());
        }

        @Override
        public void close() {
            // not ours to stop
        }
    }
}
