package dev.stockade.dispatcher;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.RuleJsonWriter;
import dev.stockade.events.v1.RuleSetRecord;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The writes of one poll of the rules topic to a {@link PoolState}: reads see the batch's own
 * writes; {@link #commit()} writes data (crumbs, bases) with one replicated {@code putAll}, then the
 * heads with another, then removes folded crumbs. Not thread-safe: the Kafka loop owns it.
 */
public final class Batch {

    private final PoolState state;
    private final Map<String, byte[]> data = new HashMap<>();
    private final Map<String, NodeHead> heads = new HashMap<>();
    private final Set<String> removedData = new LinkedHashSet<>();
    private final Set<String> removedNodes = new LinkedHashSet<>();

    Batch(PoolState state) {
        this.state = state;
    }

    /**
     * Applies generation g of a node: APPLIED when the node was at g-1 (or has no state and g = 1) and the delta's
     * body decodes and applies to the node's rule set; STALE when it is already at g or later (a re-read after a
     * rebalance); GAP otherwise (a resync is needed); REJECTED, with the reason, when it follows but its body does not
     * decode or apply (a poison record): nothing is written, so the node keeps its rules at g-1 (a resync is needed).
     */
    public PoolState.Outcome applyDelta(String node, long g, long timestampMillis, byte[] delta) throws WireFormatException {
        Optional<NodeHead> current = head(node);
        NodeHead head = current.orElse(NodeHead.INITIAL);
        if (current.isPresent() && g <= head.generation()) {
            return PoolState.Outcome.STALE;
        }
        if (g != head.generation() + 1) {
            return PoolState.Outcome.GAP;
        }
        String refused = check(node, head, g, delta);
        if (refused != null) {
            return PoolState.Outcome.rejected(refused);
        }
        write(PoolState.crumbKey(node, g), ByteBuffer.allocate(16 + delta.length).putLong(timestampMillis)
                .putLong(System.currentTimeMillis()).put(delta).array());
        NodeHead next = new NodeHead(g, head.baseGeneration(), head.firstCrumb() == 0 ? g : head.firstCrumb());
        heads.put(node, next);
        removedNodes.remove(node);
        if (next.crumbCount() > 2L * state.ringSize()) {
            compact(node, next);
        }
        return PoolState.Outcome.APPLIED;
    }

    /**
     * Why generation g cannot follow {@code head}, or null when it can: the delta is decoded and applied to the
     * node's rule set at the head (kept decoded by this replica; read from base and crumbs when it is not), and the
     * result kept for the next delta. Crumbs are forwarded to agents as they are, so one that does not apply here
     * would not apply there either, and would make the node's state undecodable for every snapshot after it.
     */
    private String check(String node, NodeHead head, long g, byte[] delta) {
        Optional<PoolState.RuleSetAt> before = state.folded(node, head.generation());
        if (before.isEmpty()) {
            try {
                before = PoolState.read(this::read, node, head);
            } catch (WireFormatException e) {
                return "the node's rule set at generation " + head.generation() + " does not decode: " + e.getMessage();
            }
            if (before.isEmpty()) {
                return "the node's rule set at generation " + head.generation() + " could not be read";
            }
        }
        NodeDelta decoded;
        try {
            decoded = RuleDeltaCodec.fromWire(WireJson.decodeRuleDelta(delta));
        } catch (WireFormatException e) {
            return "does not decode: " + e.getMessage();
        }
        if (decoded.generation() != g || !decoded.node().equals(node)) {
            return "its body is node " + decoded.node() + " generation " + decoded.generation() + ", its header node "
                    + node + " generation " + g;
        }
        try {
            state.fold(node, new PoolState.RuleSetAt(before.get().ruleSet().apply(decoded), g));
            return null;
        } catch (IllegalStateException | IllegalArgumentException e) {
            return "does not apply to the node's rule set at generation " + head.generation() + ": " + e.getMessage();
        }
    }

    /** Applies a snapshot when its generation is at least the node's; says whether it did. */
    public boolean applySnapshot(RuleSetRecord snapshot, byte[] ruleSetJson) {
        String node = snapshot.node();
        Optional<NodeHead> current = head(node);
        NodeHead head = current.orElse(NodeHead.INITIAL);
        long g = snapshot.generation();
        if (current.isPresent() && g < head.generation()) {
            return false;
        }
        write(PoolState.baseKey(node), ruleSetJson);
        state.unfold(node);
        boolean keepCrumbs = g == head.generation();
        heads.put(node, new NodeHead(g, g, keepCrumbs ? head.firstCrumb() : 0));
        removedNodes.remove(node);
        if (!keepCrumbs) {
            removeCrumbs(node, head.firstCrumb(), head.generation());
        }
        return true;
    }

    /** Forgets a node that left the pool. */
    public void remove(String node) {
        Optional<NodeHead> head = head(node);
        heads.remove(node);
        state.unfold(node);
        removedNodes.add(node);
        removedData.add(PoolState.baseKey(node));
        head.ifPresent(h -> removeCrumbs(node, h.firstCrumb(), h.generation()));
    }

    /** Writes everything: data, heads, then removals; returns the nodes whose heads were written or removed. */
    public java.util.Set<String> commit() {
        java.util.Set<String> touched = new java.util.HashSet<>(heads.keySet());
        touched.addAll(removedNodes);
        if (!data.isEmpty()) {
            state.dataCache().putAll(data);
        }
        if (!heads.isEmpty()) {
            Map<String, byte[]> encoded = new HashMap<>();
            heads.forEach((node, head) -> encoded.put(node, head.encode()));
            state.headCache().putAll(encoded);
            heads.forEach((node, head) -> state.noted(node, head.generation()));
        }
        removedNodes.forEach(node -> {
            state.headCache().remove(node);
            state.forgotten(node);
        });
        removedData.forEach(state.dataCache()::remove);
        data.clear();
        heads.clear();
        removedNodes.clear();
        removedData.clear();
        return touched;
    }

    private Optional<NodeHead> head(String node) {
        NodeHead pending = heads.get(node);
        return pending != null ? Optional.of(pending) : removedNodes.contains(node) ? Optional.empty() : state.head(node);
    }

    private byte[] read(String key) {
        byte[] pending = data.get(key);
        return pending != null ? pending : removedData.contains(key) ? null : state.dataCache().get(key);
    }

    private void write(String key, byte[] value) {
        data.put(key, value);
        removedData.remove(key);
    }

    /** Folds the oldest crumbs into the base, keeping the last {@code ringSize}. */
    private void compact(String node, NodeHead head) throws WireFormatException {
        long newBase = head.generation() - state.ringSize();
        if (head.baseGeneration() < newBase) {
            Optional<PoolState.RuleSetAt> upTo = PoolState.read(this::read, node,
                    new NodeHead(newBase, head.baseGeneration(), head.firstCrumb()));
            if (upTo.isEmpty()) {
                return;
            }
            write(PoolState.baseKey(node), RuleJsonWriter.ruleSet(upTo.get().ruleSet(), newBase));
        }
        heads.put(node, new NodeHead(head.generation(), Math.max(newBase, head.baseGeneration()), newBase + 1));
        removeCrumbs(node, head.firstCrumb(), newBase);
    }

    private void removeCrumbs(String node, long from, long to) {
        for (long g = Math.max(from, 1); from > 0 && g <= to; g++) {
            String key = PoolState.crumbKey(node, g);
            data.remove(key);
            removedData.add(key);
        }
    }
}
