package dev.stockade.dispatcher;

import dev.stockade.core.model.NodeInfo;
import dev.stockade.core.model.ResourceKind;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.kube.ResourceRecordDecoder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which pool each node is in, learned from the Node records of {@code stockade.resources}: the
 * value of its {@value #POOL_LABEL} label. A node without a Node object, or whose Node has no such
 * label, is in pool {@value #DEFAULT_POOL}. Thread-safe.
 */
public final class NodePools {

    public static final String POOL_LABEL = "stockade.dev/pool";
    public static final String DEFAULT_POOL = "default";

    /** A node's pool changed from {@code before} to {@code after} (either may be the default pool). */
    public record Change(String node, String before, String after) {
    }

    private final ResourceRecordDecoder decoder = new ResourceRecordDecoder();
    private final Map<String, String> pools = new ConcurrentHashMap<>();

    /** The node's pool; {@value #DEFAULT_POOL} when unknown or unlabelled. */
    public String poolOf(String node) {
        return pools.getOrDefault(node, DEFAULT_POOL);
    }

    /** Nodes known (from a Node object) to be in {@code pool}; empty for the default pool's unlabelled nodes. */
    public List<String> nodesIn(String pool) {
        return pools.entrySet().stream().filter(entry -> entry.getValue().equals(pool)).map(Map.Entry::getKey)
                .sorted().toList();
    }

    /**
     * Takes one resources record; empty unless it is a Node record that moved its node to another
     * pool. Records of other kinds are skipped by key without decoding their value.
     */
    public Optional<Change> accept(String key, byte[] value) {
        Optional<ResourceKey> parsed = ResourceKey.decode(key);
        if (parsed.isEmpty() || parsed.get().kind() != ResourceKind.NODE) {
            return Optional.empty();
        }
        String node = parsed.get().name();
        String after = DEFAULT_POOL;
        if (value != null) {
            ResourceRecordDecoder.Decoded decoded = decoder.decode(key, value);
            if (decoded.event().isEmpty() || !(decoded.event().get().resource() instanceof NodeInfo info)) {
                return Optional.empty();
            }
            after = info.labels() == null ? DEFAULT_POOL : info.labels().getOrDefault(POOL_LABEL, DEFAULT_POOL);
        }
        String before = after.equals(DEFAULT_POOL) ? pools.remove(node) : pools.put(node, after);
        before = before == null ? DEFAULT_POOL : before;
        return before.equals(after) ? Optional.empty() : Optional.of(new Change(node, before, after));
    }
}
