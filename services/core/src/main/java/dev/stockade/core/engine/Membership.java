package dev.stockade.core.engine;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.policy.PodSelection;
import dev.stockade.core.policy.Selector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Who belongs to a {@link PodSelection} in a {@link ClusterState}, and how groups are named. */
final class Membership {

    private Membership() {
    }

    /** Every pod of the state in the selection, in no particular order. */
    static List<PodInfo> select(PodSelection selection, ClusterState state) {
        List<PodInfo> selected = new ArrayList<>();
        Optional<String> scope = selection.namespaceScope();
        if (scope.isPresent()) {
            selectIn(scope.get(), selection, state, selected);
            return selected;
        }
        for (String namespace : state.namespacesWithPods()) {
            if (selection instanceof PodSelection.AcrossNamespaces across
                    && !across.namespaces().matches(state.namespaceLabels(namespace))) {
                continue;
            }
            selectIn(namespace, selection, state, selected);
        }
        return selected;
    }

    private static void selectIn(String namespace, PodSelection selection, ClusterState state, List<PodInfo> into) {
        var labels = state.namespaceLabels(namespace);
        for (PodInfo pod : candidates(namespace, selection, state)) {
            if (selection.matches(pod, labels)) {
                into.add(pod);
            }
        }
    }

    /** Pods that may match: those with a label the selection requires, else the whole namespace. */
    private static Collection<PodInfo> candidates(String namespace, PodSelection selection, ClusterState state) {
        Selector pods = selection instanceof PodSelection.InNamespace in ? in.pods()
                : selection instanceof PodSelection.AcrossNamespaces across ? across.pods() : Selector.ALL;
        Optional<Map.Entry<String, String>> label = pods.requiredLabel();
        return label.isPresent() ? state.podsIn(namespace, label.get().getKey(), label.get().getValue())
                : state.podsIn(namespace);
    }

    /** A group's id: {@code atg-} (applied-to) or {@code ag-} (address) and a hash of the selection. */
    static String groupId(PodSelection selection, boolean appliedTo) {
        return (appliedTo ? "atg-" : "ag-") + CompiledPolicy.Ids.hash(selection.canonical());
    }
}
