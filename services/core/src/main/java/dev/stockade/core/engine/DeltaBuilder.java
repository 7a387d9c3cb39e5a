package dev.stockade.core.engine;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.GroupPatch;
import dev.stockade.core.compiled.LocalPod;
import dev.stockade.core.compiled.LocalPodPatch;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.MemberPatch;
import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.PolicyPatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects one node's changes during an event; builds a delta with every list sorted. */
final class DeltaBuilder {

    final List<CompiledPolicy> addedPolicies = new ArrayList<>();
    final List<String> removedPolicies = new ArrayList<>();
    final Groups appliedTo = new Groups();
    final Groups addresses = new Groups();
    final List<LocalPod> addedLocalPods = new ArrayList<>();
    final List<String> removedLocalPods = new ArrayList<>();

    /** Changes to one kind of group. */
    static final class Groups {
        final List<MemberGroup> added = new ArrayList<>();
        final List<String> removed = new ArrayList<>();
        final List<MemberPatch> patched = new ArrayList<>();

        void patch(String group, List<GroupMember> joined, List<String> left) {
            if (!joined.isEmpty() || !left.isEmpty()) {
                patched.add(new MemberPatch(group, joined, left));
            }
        }

        GroupPatch build() {
            added.sort(Comparator.comparing(MemberGroup::id));
            removed.sort(Comparator.naturalOrder());
            patched.sort(Comparator.comparing(MemberPatch::group));
            return new GroupPatch(added, removed, patched);
        }
    }

    NodeDelta build(String node, long generation) {
        addedPolicies.sort(Comparator.comparing(CompiledPolicy::id));
        removedPolicies.sort(Comparator.naturalOrder());
        addedLocalPods.sort(Comparator.comparing(LocalPod::pod));
        removedLocalPods.sort(Comparator.naturalOrder());
        return new NodeDelta(node, generation, new PolicyPatch(addedPolicies, removedPolicies), appliedTo.build(),
                addresses.build(), new LocalPodPatch(addedLocalPods, removedLocalPods));
    }

    boolean isEmpty() {
        return addedPolicies.isEmpty() && removedPolicies.isEmpty() && appliedTo.added.isEmpty()
                && appliedTo.removed.isEmpty() && appliedTo.patched.isEmpty() && addresses.added.isEmpty()
                && addresses.removed.isEmpty() && addresses.patched.isEmpty() && addedLocalPods.isEmpty()
                && removedLocalPods.isEmpty();
    }
}
