package dev.stockade.core.compiled;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Changes to a node's local pods: pods that left the list ({@code removed}, by pod key: deleted,
 * moved away, or lost their IPs) and pods that joined it or changed ({@code added}, whole; a changed
 * pod, such as one with a new IP, is removed and added). Empty lists: no change.
 */
public record LocalPodPatch(List<LocalPod> added, List<String> removed) {

    public static final LocalPodPatch EMPTY = new LocalPodPatch(List.of(), List.of());

    public LocalPodPatch {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }

    /** The local pods after this patch: removals first, then additions. */
    SortedMap<String, LocalPod> applyTo(SortedMap<String, LocalPod> pods) {
        if (isEmpty()) {
            return pods;
        }
        TreeMap<String, LocalPod> next = new TreeMap<>(pods);
        removed.forEach(next::remove);
        added.forEach(pod -> next.put(pod.pod(), pod));
        return next;
    }
}
