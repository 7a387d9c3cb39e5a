package dev.stockade.core.compiled;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A group as a node sees it: id, the canonical selection it stands for, and its members by pod
 * key. An applied-to group holds only the node's own pods; an address group holds every member.
 */
public record MemberGroup(String id, String selection, SortedMap<String, GroupMember> members) {

    public MemberGroup {
        members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
    }
}
