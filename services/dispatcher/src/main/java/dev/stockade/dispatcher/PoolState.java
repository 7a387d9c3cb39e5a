package dev.stockade.dispatcher;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.RuleSetRecord;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import dev.stockade.replication.ReplicatedCaches;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.context.Flag;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

/**
 * The pool's per-node states in two Infinispan REPL_SYNC caches its replicas share, so any replica
 * can serve any agent of the pool:
 * <ul>
 *   <li>{@value #HEADS}: node → its {@link NodeHead} (generation, base generation, oldest crumb);
 *       every replica listens to it and wakes that node's sessions on each write, its own or another's;</li>
 *   <li>{@value #DATA}: {@code b/<node>} → the base rule set ({@code RuleSetRecord} JSON) at the base
 *       generation (absent = empty), and {@code c/<node>/<g>} → the breadcrumb of generation g: the Kafka
 *       record timestamp and the time it was stored (8 bytes each), and the delta's JSON exactly as published.</li>
 * </ul>
 * The rule set at a head's generation is the base folded with the crumbs after it. Writes come in
 * batches ({@link Batch}, one per poll of the rules topic): data first, then heads, each with one
 * replicated {@code putAll}; removals last. A reader that follows a head finds what it names (during a
 * compaction it may not, and reads again). Every {@code ring} deltas a node's oldest crumbs fold into
 * its base, so between {@code ring} and {@code 2 * ring} crumbs are kept.
 *
 * <p>Writers: a node's records come from one partition of the rules topic, consumed by one replica
 * of the pool's group at a time, so each node has one writer (briefly two during a rebalance; both
 * then write the same deterministic content, and a write never moves a node back).
 */
public final class PoolState {

    /** Cache of the nodes' heads. */
    public static final String HEADS = "stockade-dispatcher-heads";
    /** Cache of the bases and breadcrumbs. */
    public static final String DATA = "stockade-dispatcher-data";

    /**
     * What a delta did to the node's state: APPLIED (stored as a crumb), STALE (already held), GAP (does not
     * follow: resync), REJECTED (follows, but its body does not decode or does not apply to the node's rule set,
     * or that rule set itself does not decode: not stored, the node keeps its rules; resync).
     */
    public enum Applied { APPLIED, STALE, GAP, REJECTED }

    /** A delta's outcome; {@code reason} says why it was {@link Applied#REJECTED}, null otherwise. */
    public record Outcome(Applied applied, String reason) {
        static final Outcome APPLIED = new Outcome(Applied.APPLIED, null);
        static final Outcome STALE = new Outcome(Applied.STALE, null);
        static final Outcome GAP = new Outcome(Applied.GAP, null);

        static Outcome rejected(String reason) {
            return new Outcome(Applied.REJECTED, reason);
        }
    }

    /** Nodes whose decoded rule set this replica keeps for checking their next delta (least recently used go). */
    static final int FOLDED_NODES = 10_000;

    /**
     * A breadcrumb: generation, the Kafka record's timestamp and when a replica stored it (epoch ms),
     * and the delta's JSON as published ({@link #delta()}, copied; {@link #deltaText()} for a frame).
     */
    public record Crumb(long generation, long timestampMillis, long storedAtMillis, byte[] stored) {

        static final int HEADER = 16;

        public byte[] delta() {
            return Arrays.copyOfRange(stored, HEADER, stored.length);
        }

        public String deltaText() {
            return new String(stored, HEADER, stored.length - HEADER, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The node's whole rule set at a generation. */
    public record RuleSetAt(NodeRuleSet ruleSet, long generation) {
    }

    private final Cache<String, byte[]> heads;
    private final Cache<String, byte[]> data;
    private final int ringSize;
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    /** Node → its decoded rule set at the generation this replica's Kafka loop last stored or read; that loop only. */
    private final Map<String, RuleSetAt> folded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RuleSetAt> eldest) {
            return size() > FOLDED_NODES;
        }
    };

    public PoolState(EmbeddedCacheManager member, int ringSize) {
        this.heads = member.<String, byte[]>getCache(HEADS).getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES);
        this.data = member.<String, byte[]>getCache(DATA).getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES);
        this.ringSize = ringSize;
        heads.forEach((node, value) -> generations.put(node, NodeHead.decode(value).generation()));
    }

    /** The caches a member must define (REPL_SYNC, no transactions: one writer per node). */
    public static Map<String, Configuration> caches() {
        return Map.of(HEADS, ReplicatedCaches.replicated(), DATA, ReplicatedCaches.replicated());
    }

    /** The node's head; empty when the pool holds no state for it (never seen, or lost). */
    public Optional<NodeHead> head(String node) {
        byte[] stored = heads.get(node);
        return stored == null ? Optional.empty() : Optional.of(NodeHead.decode(stored));
    }

    /** The crumb of generation g, if kept. */
    public Optional<Crumb> crumb(String node, long g) {
        return crumb(data::get, node, g);
    }

    /** The node's current generation as this replica last saw it; -1 when it holds no state. */
    public long generation(String node) {
        return generations.getOrDefault(node, -1L);
    }

    public boolean isEmpty() {
        return heads.isEmpty();
    }

    /** The node's rule set at its current generation (base + crumbs); empty when the pool holds no state for it. */
    public Optional<RuleSetAt> ruleSet(String node) throws WireFormatException {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<NodeHead> head = head(node);
            if (head.isEmpty()) {
                return Optional.empty();
            }
            Optional<RuleSetAt> read = read(data::get, node, head.get());
            if (read.isPresent()) {
                return read;
            }
        }
        throw new WireFormatException("node " + node + "'s state kept changing while it was read");
    }

    /** Starts a batch of writes (the caller commits it). */
    public Batch batch() {
        return new Batch(this);
    }

    /**
     * Calls {@code onChange} with the node of every head write or removal by another replica
     * (asynchronously). This replica's own writes are announced by its Kafka loop when it commits a
     * batch; hearing them again here would pump every session of a fan-out twice.
     */
    public void listen(Consumer<String> onChange) {
        heads.addListener(new Changes(onChange, generations));
    }

    Cache<String, byte[]> headCache() {
        return heads;
    }

    Cache<String, byte[]> dataCache() {
        return data;
    }

    int ringSize() {
        return ringSize;
    }

    void noted(String node, long generation) {
        generations.put(node, generation);
    }

    void forgotten(String node) {
        generations.remove(node);
    }

    /** The node's decoded rule set if this replica holds it at {@code generation} (Kafka loop only). */
    Optional<RuleSetAt> folded(String node, long generation) {
        RuleSetAt kept = folded.get(node);
        return kept != null && kept.generation() == generation ? Optional.of(kept) : Optional.empty();
    }

    void fold(String node, RuleSetAt ruleSet) {
        folded.put(node, ruleSet);
    }

    void unfold(String node) {
        folded.remove(node);
    }

    static Optional<Crumb> crumb(Function<String, byte[]> reader, String node, long g) {
        byte[] stored = reader.apply(crumbKey(node, g));
        if (stored == null) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(stored);
        return Optional.of(new Crumb(g, buffer.getLong(), buffer.getLong(), stored));
    }

    /** Base + crumbs as of {@code head}; empty when they do not match it (a concurrent compaction: read again). */
    static Optional<RuleSetAt> read(Function<String, byte[]> reader, String node, NodeHead head) throws WireFormatException {
        byte[] base = reader.apply(baseKey(node));
        NodeRuleSet ruleSet = NodeRuleSet.empty(node);
        if (base != null) {
            RuleSetRecord record = WireJson.decodeRuleSet(base);
            if (record.generation() != head.baseGeneration()) {
                return Optional.empty();
            }
            ruleSet = RuleDeltaCodec.fromWire(record);
        } else if (head.baseGeneration() != 0) {
            return Optional.empty();
        }
        for (long g = head.baseGeneration() + 1; g <= head.generation(); g++) {
            Optional<Crumb> crumb = crumb(reader, node, g);
            if (crumb.isEmpty()) {
                return Optional.empty();
            }
            ruleSet = fold(ruleSet, crumb.get());
        }
        return Optional.of(new RuleSetAt(ruleSet, head.generation()));
    }

    /**
     * The rule set after a crumb; WireFormatException when the crumb does not decode or does not apply
     * (a member patch of a group the rule set does not have, another node's delta), so that a bad crumb
     * is the node's state not decoding, never an exception through a pump or the Kafka loop.
     */
    private static NodeRuleSet fold(NodeRuleSet ruleSet, Crumb crumb) throws WireFormatException {
        NodeDelta delta = RuleDeltaCodec.fromWire(WireJson.decodeRuleDelta(crumb.delta()));
        try {
            return ruleSet.apply(delta);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new WireFormatException("generation " + crumb.generation() + " of node " + ruleSet.node()
                    + " does not apply: " + e.getMessage(), e);
        }
    }

    static String crumbKey(String node, long g) {
        return "c/" + node + "/" + g;
    }

    static String baseKey(String node) {
        return "b/" + node;
    }

    /** Infinispan listener on the heads (public for Infinispan's reflection): other replicas' post-events, asynchronously. */
    @Listener(sync = false, observation = Listener.Observation.POST)
    public static final class Changes {
        private final Consumer<String> onChange;
        private final Map<String, Long> generations;

        Changes(Consumer<String> onChange, Map<String, Long> generations) {
            this.onChange = onChange;
            this.generations = generations;
        }

        @CacheEntryCreated
        @CacheEntryModified
        public void written(CacheEntryEvent<String, byte[]> event) {
            if (!event.isOriginLocal() && event.getValue() != null) {
                generations.merge(event.getKey(), NodeHead.decode(event.getValue()).generation(), Math::max);
                onChange.accept(event.getKey());
            }
        }

        @CacheEntryRemoved
        public void removed(CacheEntryEvent<String, byte[]> event) {
            if (!event.isOriginLocal()) {
                generations.remove(event.getKey());
                onChange.accept(event.getKey());
            }
        }
    }
}
