package dev.stockade.localkafka;

import kafka.server.BrokerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A real Kafka cluster in the current JVM for fault tests: one KRaft controller and three
 * brokers (split mode), topics with replication factor 3 and {@code min.insync.replicas=2}, so
 * that a topic stays writable with {@code acks=all} when one broker stops.
 *
 * <p>Why split mode: three combined broker+controller voters fail to form a quorum in Kafka
 * 4.1.2 ({@code handleUpdateVoterResponse}) with the kit's dynamic quorum; one dedicated controller
 * avoids that. (Three combined nodes with a static quorum, {@code controller.quorum.voters}, do
 * form one: {@link LocalKafka#startClusterNode}, one node per JVM in the chaos harness.) The bootstrap
 * metadata version is {@link MetadataVersion#latestProduction()}, as a freshly formatted
 * production cluster has.
 *
 * <p>Lives in the test-jar of stockade-local-kafka: {@code kafka-test-common-runtime} brings the
 * JUnit platform launcher with it, which must not reach the demo's runtime classpath. A module
 * that uses this class adds that artifact with test scope (see this module's pom).
 */
public final class LocalKafkaCluster implements AutoCloseable {

    /** Brokers in the cluster; their ids are 0, 1, 2 (the controller is 3000). */
    public static final int BROKERS = 3;

    private final KafkaClusterTestKit cluster;
    private final Topics topics;

    private LocalKafkaCluster(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.topics = new Topics(cluster.bootstrapServers(), (short) 3);
    }

    /** Formats and starts the cluster; returns when all three brokers are ready. */
    public static LocalKafkaCluster start() {
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(false)
                    .setNumControllerNodes(1)
                    .setNumBrokerNodes(BROKERS)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            brokerConfig().forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new LocalKafkaCluster(cluster);
        } catch (Exception e) {
            closeQuietly(cluster);
            throw new IllegalStateException("local Kafka cluster did not start: " + e.getMessage(), e);
        }
    }

    /** Every broker's {@code host:port}, comma-separated. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates a topic with RF 3 and min ISR 2 (compacted if asked), or does nothing when it exists. */
    public void createTopic(String name, int partitions, boolean compacted) {
        topics.create(name, partitions, compacted
                ? Map.of("cleanup.policy", "compact", "min.insync.replicas", "2")
                : Map.of("min.insync.replicas", "2"));
    }

    /** The broker leading the partition now; -1 while it has none. */
    public int leaderOf(String topic, int partition) {
        return topics.leaderOf(topic, partition);
    }

    /** Ids of the brokers still running. */
    public Set<Integer> runningBrokers() {
        Set<Integer> running = new TreeSet<>();
        cluster.brokers().forEach((id, broker) -> {
            if (!broker.isShutdown()) {
                running.add(id);
            }
        });
        return running;
    }

    /** Stops one broker (a controlled shutdown: leadership moves to an in-sync replica). */
    public void stopBroker(int id) {
        BrokerServer broker = cluster.brokers().get(id);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + id + "; brokers are " + cluster.brokers().keySet());
        }
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** The admin-level helper, for tests that need more than the above. */
    public Topics topics() {
        return topics;
    }

    @Override
    public void close() {
        closeQuietly(cluster);
    }

    private static Map<String, String> brokerConfig() {
        return SmallFootprint.replicated();
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception ignored) {
            // the temp directories are deleted by the kit; nothing else to release
        }
    }
}
