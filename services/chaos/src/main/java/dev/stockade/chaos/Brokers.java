package dev.stockade.chaos;

import dev.stockade.localkafka.ClusterLayout;
import dev.stockade.localkafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The harness's Kafka: a KRaft cluster of 3 nodes (or 1), each a {@link BrokerProcess} of its own
 * on fixed ports ({@link ClusterLayout}, from port {@value #PORTS_FROM}, below the ephemeral range so
 * that no client connection takes a killed node's port before it is back), its log directory under
 * {@code <work dir>/kafka/broker-<id>}. With 3, the Stockade topics get replication factor 3 and
 * {@code min.insync.replicas=2}, like the internal ones (consumer offsets, transaction state:
 * {@code SmallFootprint.replicated()}), so that every write outlives the loss of one broker; every
 * client is given all three addresses.
 */
final class Brokers {

    static final int PORTS_FROM = 7600;
    /** Each broker's heap: what {@code SmallFootprint}'s settings are sized for. */
    static final String HEAP = "256m";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final ClusterLayout layout;
    private final List<ServiceProcess> processes;

    private Brokers(ClusterLayout layout, List<ServiceProcess> processes) {
        this.layout = layout;
        this.processes = processes;
    }

    /** Starts {@code count} nodes, waits until all serve and creates the Stockade topics. */
    static Brokers start(int count, Path directory, Path logs) throws Exception {
        ClusterLayout layout = ClusterLayout.onFreePorts(count, PORTS_FROM);
        List<ServiceProcess> processes = new ArrayList<>();
        for (ClusterLayout.Node node : layout.nodes()) {
            processes.add(new ServiceProcess("broker", "broker-" + node.id(), HEAP, BrokerProcess.class, List.of(),
                    List.of("--layout=" + layout.asText(), "--node-id=" + node.id(),
                            "--dir=" + directory.resolve("broker-" + node.id())), logs));
        }
        processes.forEach(ServiceProcess::start);
        Brokers brokers = new Brokers(layout, processes);
        brokers.awaitAllServing();
        brokers.createTopics();
        return brokers;
    }

    List<ServiceProcess> processes() {
        return processes;
    }

    /** Every node's address, comma-separated: what every client is given. */
    String bootstrapServers() {
        return layout.bootstrapServers();
    }

    /**
     * With 3 nodes: waits (at most {@code timeout}) until every partition, internal ones included,
     * has all its replicas in sync again, so that the next kill takes one broker of a whole
     * cluster; a cluster still short after that is logged, not failed (the quiet points judge).
     */
    void awaitInSync(Duration timeout) throws InterruptedException {
        if (processes.size() == 1) {
            return;
        }
        long start = System.nanoTime();
        String lagging = "";
        try (Admin admin = new Topics(bootstrapServers(), (short) 3).admin()) {
            while (System.nanoTime() - start < timeout.toNanos()) {
                lagging = underReplicated(admin);
                if (lagging.isEmpty()) {
                    long waited = (System.nanoTime() - start) / 1_000_000;
                    if (waited > 1000) {
                        ChaosRun.log("every partition in sync on all brokers after " + waited + " ms more");
                    }
                    return;
                }
                Thread.sleep(200);
            }
        }
        ChaosRun.log("partitions still under-replicated after " + timeout.toSeconds() + " s: " + lagging);
    }

    /**
     * Checks what the run claims and fails it otherwise: with 3 nodes, every partition of every
     * topic, consumer offsets and transaction state included, has 3 replicas and its topic
     * {@code min.insync.replicas=2}. Call it once the internal topics exist (after the first
     * transaction and group commit).
     */
    void verifyReplication() throws Exception {
        if (processes.size() == 1) {
            return;
        }
        try (Admin admin = new Topics(bootstrapServers(), (short) 3).admin()) {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
            for (String internal : List.of("__consumer_offsets", "__transaction_state")) {
                if (!names.contains(internal)) {
                    throw new IllegalStateException(internal + " does not exist yet");
                }
            }
            List<String> wrong = new ArrayList<>();
            admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().stream().filter(p -> p.replicas().size() != 3)
                            .forEach(p -> wrong.add(name + "-" + p.partition() + " has " + p.replicas().size() + " replicas")));
            List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            admin.describeConfigs(resources).all().get(10, TimeUnit.SECONDS).forEach((resource, config) -> {
                String minIsr = config.get("min.insync.replicas").value();
                if (!"2".equals(minIsr)) {
                    wrong.add(resource.name() + " has min.insync.replicas " + minIsr);
                }
            });
            if (!wrong.isEmpty()) {
                throw new IllegalStateException("topics not replicated as the run says: " + wrong);
            }
            ChaosRun.log(names.size() + " topics (" + String.join(", ", new java.util.TreeSet<>(names))
                    + "): every partition on 3 brokers, min.insync.replicas 2");
        }
    }

    private void awaitAllServing() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = new Topics(bootstrapServers(), (short) 1).admin()) {
            while (System.nanoTime() < deadline) {
                for (ServiceProcess process : processes) {
                    if (process.diedOnItsOwn()) {
                        throw new IllegalStateException(process.name + " exited (" + process.exitCode() + ") at start; see its log");
                    }
                }
                try {
                    if (admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).size() >= processes.size()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not serving yet
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("fewer than " + processes.size() + " brokers serve after " + START_TIMEOUT.toSeconds() + " s");
    }

    private void createTopics() {
        short replicas = (short) Math.min(processes.size(), 3);
        Map<String, String> minIsr = Map.of("min.insync.replicas", replicas == 3 ? "2" : "1");
        Map<String, String> compacted = Map.of("cleanup.policy", "compact", "min.insync.replicas", replicas == 3 ? "2" : "1");
        Topics topics = new Topics(bootstrapServers(), replicas);
        topics.create("stockade.resources", 1, compacted);
        topics.create("stockade.rules", 3, minIsr);
        topics.create("stockade.status", 1, compacted);
        topics.create("stockade.deadletter", 1, minIsr);
        topics.create("stockade.control", 1, minIsr);
    }

    /** The partitions (internal ones included) with fewer replicas in sync than assigned; empty when none. */
    private static String underReplicated(Admin admin) throws InterruptedException {
        try {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
            List<String> lagging = new ArrayList<>();
            topics.forEach((name, description) -> {
                for (TopicPartitionInfo partition : description.partitions()) {
                    if (partition.isr().size() < partition.replicas().size()) {
                        lagging.add(name + "-" + partition.partition() + " isr " + partition.isr().size());
                    }
                }
            });
            return String.join(", ", lagging);
        } catch (ExecutionException | TimeoutException e) {
            return "(cannot describe topics: " + e.getMessage() + ")";
        }
    }
}
