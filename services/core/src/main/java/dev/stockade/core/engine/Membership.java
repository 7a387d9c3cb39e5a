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
        Optional<Map.Entry<String, String>> requiredLabel = podSelector(selection).requiredLabel();
        Optional<String> scope = selection.namespaceScope();
        if (scope.isPresent()) {
            selectIn(scope.get(), state.namespaceLabels(scope.get()), selection, requiredLabel, state, selected);
            return selected;
        }
        for (String namespace : state.namespacesWithPods()) {
            Map<String, String> labels = state.namespaceLabels(namespace);
            if (selection instanceof PodSelection.AcrossNamespaces across && !across.namespaces().matches(labels)) {
                continue;
            }
            selectIn(namespace, labels, selection, requiredLabel, state, selected);
        }
        return selected;
    }

    /**
     * The pods of {@code namespace} in the selection. Candidates are the pods with the label the
     * selection requires, if it requires one, else the whole namespace.
     */
    private static void selectIn(String namespace, Map<String, String> namespaceLabels, PodSelection selection,
                                 Optional<Map.Entry<String, String>> requiredLabel, ClusterState state,
                                 List<PodInfo> into) {
        Collection<PodInfo> candidates = requiredLabel.isPresent()
                ? state.podsIn(namespace, requiredLabel.get().getKey(), requiredLabel.get().getValue())
                : state.podsIn(namespace);
        for (PodInfo pod : candidates) {
            if (selection.matches(pod, namespaceLabels)) {
                into.add(pod);
            }
        }
    }

    private static Selector podSelector(PodSelection selection) {
        return selection instanceof PodSelection.InNamespace in ? in.pods()
                : selection instanceof PodSelection.AcrossNamespaces across ? across.pods() : Selector.ALL;
    }

    /** A group's id: {@code atg-} (applied-to) or {@code ag-} (address) and a hash of the selection. */
    static String groupId(PodSelection selection, boolean appliedTo) {
        return (appliedTo ? "atg-" : "ag-") + CompiledPolicy.Ids.hash(selection.canonical());
    }
}
