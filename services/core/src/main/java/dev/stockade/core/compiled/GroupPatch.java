package dev.stockade.core.compiled;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Changes to one kind of group on a node: groups it gains ({@code added}, whole), groups it
 * loses ({@code removed}, by id) and membership patches of groups it keeps ({@code patched}).
 */
public record GroupPatch(List<MemberGroup> added, List<String> removed, List<MemberPatch> patched) {

    public static final GroupPatch EMPTY = new GroupPatch(List.of(), List.of(), List.of());

    public GroupPatch {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        patched = List.copyOf(patched);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && patched.isEmpty();
    }

    /** The groups after this patch; throws IllegalStateException when a patch names an unknown group. */
    SortedMap<String, MemberGroup> applyTo(SortedMap<String, MemberGroup> groups) {
        TreeMap<String, MemberGroup> next = new TreeMap<>(groups);
        removed.forEach(next::remove);
        added.forEach(group -> next.put(group.id(), group));
        for (MemberPatch patch : patched) {
            MemberGroup group = next.get(patch.group());
            if (group == null) {
                throw new IllegalStateException("member patch for group " + patch.group() + " the node does not have");
            }
            TreeMap<String, GroupMember> members = new TreeMap<>(group.members());
            patch.removed().forEach(members::remove);
            patch.added().forEach(member -> members.put(member.pod(), member));
            next.put(group.id(), new MemberGroup(group.id(), group.selection(), members));
        }
        return next;
    }
}
