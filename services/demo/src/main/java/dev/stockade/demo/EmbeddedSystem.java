package dev.stockade.demo;

import dev.stockade.agent.dataplane.Reconciler;
import dev.stockade.agent.dataplane.RecordingReconciler;
import dev.stockade.compiler.CacheManagers;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.compiler.CompilerSettings;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.listener.DirectorySource;
import dev.stockade.listener.Leadership;
import dev.stockade.listener.Listener;
import dev.stockade.localkafka.LocalKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * The whole system in one process, for the demo: a real KRaft broker, the listener watching a
 * directory of manifests as its cluster, a compiler replica with its Infinispan member, a
 * dispatcher replica per node pool and an agent per node (with the reconciler it is given: nftables
 * in the node's netns from a {@link PacketLab}, or recording), and a follower folding the per-node
 * deltas the compiler commits. Real components and real Kafka records and WebSocket streams
 * throughout; only the Kubernetes API is replaced by the directory.
 */
public final class EmbeddedSystem implements AutoCloseable {

    private static final String RESOURCES = "stockade.resources";
    private static final String RULES = "stockade.rules";

    private final LocalKafka kafka;
    private final EmbeddedCacheManager stateMember;
    private final CompilerLoop compiler;
    private final Listener listener;
    private final RulesFollower follower;
    private final Admin admin;
    private final Fleet fleet;
    private final AckLog acks;

    private EmbeddedSystem(LocalKafka kafka, EmbeddedCacheManager stateMember, CompilerLoop compiler, Listener listener,
                           RulesFollower follower, Admin admin, Fleet fleet, AckLog acks) {
        this.kafka = kafka;
        this.stateMember = stateMember;
        this.compiler = compiler;
        this.listener = listener;
        this.follower = follower;
        this.admin = admin;
        this.fleet = fleet;
        this.acks = acks;
    }

    /** Starts everything with recording agents; {@code deltas} sees each committed per-node delta as it arrives. */
    public static EmbeddedSystem start(Path manifests, Consumer<NodeDelta> deltas) {
        return start(manifests, deltas, node -> new RecordingReconciler());
    }

    /** Starts everything, each node's agent with {@code reconcilers.apply(node)}. */
    public static EmbeddedSystem start(Path manifests, Consumer<NodeDelta> deltas, Function<String, Reconciler> reconcilers) {
        LocalKafka kafka = LocalKafka.start();
        kafka.createTopic(RESOURCES, 1, true);
        kafka.createTopic(RULES, 3, false);
        kafka.createTopic("stockade.status", 1, true);
        kafka.createTopic("stockade.deadletter", 1, false);
        kafka.createTopic("stockade.control", 1, false);
        EmbeddedCacheManager member = CacheManagers.start("stockade-demo-" + ProcessHandle.current().pid(), "demo",
                "jgroups-loopback.xml");
        CompilerLoop compiler = new CompilerLoop(CompilerSettings.defaults(kafka.bootstrapServers(), "demo-compiler"),
                member.getCache(CacheManagers.STATE_CACHE), new SimpleMeterRegistry(), Clock.systemUTC());
        daemon(compiler, "compiler");
        RulesFollower follower = new RulesFollower(kafka.bootstrapServers(), RULES, deltas);
        daemon(follower, "rules-follower");
        Listener listener = Listener.start(new DirectorySource(manifests, Duration.ofMillis(300)), Leadership.sole(),
                new Listener.Settings(RESOURCES, Map.of("bootstrap.servers", kafka.bootstrapServers()), "demo-listener",
                        Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ofSeconds(30)),
                new SimpleMeterRegistry());
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
        AckLog acks = new AckLog();
        Fleet fleet = Fleet.start(kafka.bootstrapServers(), manifests, "demo-" + java.util.UUID.randomUUID(), reconcilers,
                acks);
        return new EmbeddedSystem(kafka, member, compiler, listener, follower, admin, fleet, acks);
    }

    /**
     * Waits until the directory is published, the compiler has committed everything published, the
     * follower has read every committed delta and every agent has applied its node's last
     * generation, twice in a row {@code settle} apart with neither the topic's end nor the compiler's
     * committed offset moving in between.
     */
    public boolean awaitConverged(Duration timeout, Duration settle) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long stableSince = -1;
        long lastEnd = -1;
        long lastCommitted = -2;
        while (System.nanoTime() < deadline) {
            long end = resourcesEnd();
            long committed = compilerCommitted();
            boolean converged = listener.pipeline().ready() && listener.pipeline().publishing()
                    && compiler.role() == CompilerLoop.Role.ACTIVE && compiledUpTo(end, committed)
                    && follower.caughtUp() && agentsCaughtUp();
            if (converged && end == lastEnd && committed == lastCommitted) {
                if (stableSince < 0) {
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince >= settle.toNanos()) {
                    return true;
                }
            } else {
                stableSince = -1;
            }
            lastEnd = end;
            lastCommitted = committed;
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * Whether the compiler has committed the resources topic up to {@code end}. The listener publishes
     * in transactions, so the log ends with a commit marker, which is no record: a compiler that
     * processed every record commits the offset after the last record, one below the end. Hence one
     * below counts (the marker); that a lagging compiler is not mistaken for a caught-up one is the
     * job of the settle time in {@link #awaitConverged}, over which the committed offset must not move.
     */
    private static boolean compiledUpTo(long end, long committed) {
        return end == 0 || committed >= end - 1;
    }

    /** What is still missing for convergence, for people (empty when converged as of now). */
    public String notConverged() {
        java.util.List<String> missing = new java.util.ArrayList<>();
        long end = resourcesEnd();
        if (!listener.pipeline().ready() || !listener.pipeline().publishing()) {
            missing.add("the listener is not publishing");
        }
        if (compiler.role() != CompilerLoop.Role.ACTIVE) {
            missing.add("the compiler is " + compiler.role());
        } else if (!compiledUpTo(end, compilerCommitted())) {
            missing.add("the compiler committed " + compilerCommitted() + " of " + end + " resource records");
        }
        if (!follower.caughtUp()) {
            missing.add("the rules follower is behind");
        }
        follower.read(fold -> {
            fleet.agents().forEach((node, agent) -> {
                if (agent.appliedGeneration() != fold.generation(node)) {
                    missing.add(node + "'s agent applied generation " + agent.appliedGeneration() + " of "
                            + fold.generation(node) + (agent.connected() ? "" : " (not connected)"));
                }
            });
            return null;
        });
        return String.join("; ", missing);
    }

    private boolean agentsCaughtUp() {
        return follower.read(fold -> fleet.agents().entrySet().stream()
                .allMatch(agent -> agent.getValue().appliedGeneration() == fold.generation(agent.getKey())));
    }

    /** The rule set each node's agent has applied (empty for a node without an agent). */
    public NodeRuleSet agentRuleSet(String node) {
        return fleet.ruleSet(node);
    }

    /** When each agent ACKed each generation. */
    public AckLog acks() {
        return acks;
    }

    /** The broker's bootstrap address (PLAINTEXT on loopback), for {@code stockade replay} and {@code status}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The nodes that have an agent, sorted. */
    public java.util.SortedSet<String> agentNodes() {
        return new java.util.TreeSet<>(fleet.agents().keySet());
    }

    /** The generation a node's agent has applied; 0 for none (or no agent). */
    public long agentGeneration(String node) {
        var agent = fleet.agents().get(node);
        return agent == null ? 0 : agent.appliedGeneration();
    }

    /** The agents' nodes and their dispatcher pools' addresses, for people. */
    public SortedMap<String, String> dispatchers() {
        return fleet.dispatcherAddresses();
    }

    /** The rule set each node holds now (the fold of its committed deltas), nodes with rules only. */
    public SortedMap<String, NodeRuleSet> ruleSets() {
        return follower.read(fold -> fold.nonEmptyRuleSets());
    }

    private long resourcesEnd() {
        TopicPartition partition = new TopicPartition(RESOURCES, 0);
        try {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }

    private long compilerCommitted() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("stockade-compiler")
                    .partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata committed = offsets.get(new TopicPartition(RESOURCES, 0));
            return committed == null ? -1 : committed.offset();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, "stockade-demo-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the agents, dispatchers, listener, compiler, follower, state member and broker, in that order. */
    @Override
    public void close() {
        fleet.close();
        listener.close();
        compiler.close();
        follower.close();
        admin.close();
        sleepQuietly(300);
        stateMember.stop();
        kafka.close();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
