package dev.stockade.core.compiled;

import java.util.List;

/**
 * Membership change of a group the node keeps: pods that left ({@code removed}, by pod key) and
 * pods that joined or changed ({@code added}, whole; a changed pod is removed and added).
 */
public record MemberPatch(String group, List<GroupMember> added, List<String> removed) {

    public MemberPatch {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }
}
