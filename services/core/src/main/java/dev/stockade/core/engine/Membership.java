package dev.stockade.core.engine;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.policy.PodSelection;
import java.util.ArrayList;
import java.util.List;
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
            var labels = state.namespaceLabels(scope.get());
            for (PodInfo pod : state.podsIn(scope.get())) {
                if (selection.matches(pod, labels)) {
                    selected.add(pod);
                }
            }
            return selected;
        }
        for (String namespace : state.namespacesWithPods()) {
            var labels = state.namespaceLabels(namespace);
            if (selection instanceof PodSelection.AcrossNamespaces across && !across.namespaces().matches(labels)) {
                continue;
            }
            for (PodInfo pod : state.podsIn(namespace)) {
                if (selection.matches(pod, labels)) {
                    selected.add(pod);
                }
            }
        }
        return selected;
    }

    /** Applied-to group id: {@code atg-} and a hash of the selection. */
    static String appliedToGroupId(PodSelection selection) {
        return "atg-" + CompiledPolicy.Ids.hash(selection.canonical());
    }

    /** Address group id: {@code ag-} and a hash of the selection. */
    static String addressGroupId(PodSelection selection) {
        return "ag-" + CompiledPolicy.Ids.hash(selection.canonical());
    }
}
