package dev.stockade.cli;

import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.GroupPatch;
import dev.stockade.core.compiled.NodeDelta;
import java.util.ArrayList;
import java.util.List;

/** One line per delta for people watching the demo: node, generation, what changed. */
final class DeltaLine {

    private DeltaLine() {
    }

    static String describe(NodeDelta delta) {
        List<String> changes = new ArrayList<>();
        delta.policies().removed().forEach(id -> changes.add("-policy " + id));
        for (CompiledPolicy policy : delta.policies().added()) {
            changes.add("+policy " + policy.ref().kind() + " " + policy.ref().namespace() + "/" + policy.ref().name());
        }
        groups("applied-to", delta.appliedToGroups(), changes);
        groups("peers", delta.addressGroups(), changes);
        return String.format("%-12s gen %-4d %s", delta.node(), delta.generation(), String.join(", ", changes));
    }

    private static void groups(String kind, GroupPatch patch, List<String> changes) {
        patch.removed().forEach(id -> changes.add("-" + kind + " " + id));
        patch.added().forEach(group -> changes.add("+" + kind + " " + group.selection() + " (" + group.members().size()
                + " pods)"));
        patch.patched().forEach(members -> changes.add(kind + " " + members.group() + " +" + members.added().size()
                + "/-" + members.removed().size() + " pods"));
    }
}
