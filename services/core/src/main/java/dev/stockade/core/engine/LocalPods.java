package dev.stockade.core.engine;

import dev.stockade.core.compiled.LocalPod;
import dev.stockade.core.model.PodInfo;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The engine's per-node lists of local pods ({@link LocalPod}: every pod bound to the node that has
 * an address, whether a policy selects it or not). A pod event moves at most one entry; the deltas
 * are the difference between the step journal's first "before" of each touched pod and its entry
 * now, so a pod created and deleted within one step sends nothing.
 */
final class LocalPods {

    /** Per node, its local pods by pod key; nodes without any are absent. */
    private final Map<String, Map<String, LocalPod>> byNode = new HashMap<>();

    /** Applies one pod change, journaling the pod's entry before it on first touch. */
    void update(PodInfo before, PodInfo after, Journal journal) {
        Journal.Placed was = placed(before);
        Journal.Placed is = placed(after);
        if (Objects.equals(was, is)) {
            return;
        }
        journal.localPod((after != null ? after : before).key(), was);
        if (was != null) {
            Map<String, LocalPod> onNode = byNode.get(was.node());
            onNode.remove(was.pod().pod());
            if (onNode.isEmpty()) {
                byNode.remove(was.node());
            }
        }
        if (is != null) {
            byNode.computeIfAbsent(is.node(), node -> new HashMap<>()).put(is.pod().pod(), is.pod());
        }
    }

    /** Per touched pod: its old node loses it, its new node gains it; a changed entry is removed and added. */
    void emit(Journal journal, ClusterState state, Function<String, DeltaBuilder> builderOf) {
        journal.oldLocalPods.forEach((pod, was) -> {
            Journal.Placed is = placed(state.pods().get(pod));
            if (Objects.equals(was, is)) {
                return;
            }
            if (was != null) {
                builderOf.apply(was.node()).removedLocalPods.add(pod);
            }
            if (is != null) {
                builderOf.apply(is.node()).addedLocalPods.add(is.pod());
            }
        });
    }

    /** A node's local pods, sorted by pod key. */
    SortedMap<String, LocalPod> of(String node) {
        return new TreeMap<>(byNode.getOrDefault(node, Map.of()));
    }

    /** Nodes with at least one local pod. */
    Set<String> nodes() {
        return Collections.unmodifiableSet(byNode.keySet());
    }

    /** Where a pod is listed, if anywhere: its node and entry. */
    static Journal.Placed placed(PodInfo pod) {
        return pod == null ? null : LocalPod.of(pod).map(local -> new Journal.Placed(pod.nodeName(), local)).orElse(null);
    }
}
