package dev.stockade.agent.dataplane;

import dev.stockade.core.policy.Cidr;
import java.util.List;

/**
 * What a node does with a local pod address the compiler has not decided about yet: an address in
 * the node's pod CIDRs that is neither a local pod of its rule set ({@code NodeRuleSet.localPods})
 * nor a member of one of its applied-to groups. Such an address belongs to a pod the compiler has
 * not seen (its rules are still on their way) or to no pod at all.
 *
 * <p>{@link #OPEN} (today's behaviour, and what {@code failClosed = false} means): such traffic
 * passes like that of any pod no policy selects. Fail closed: it is dropped in both directions,
 * from the first packet, until the pod's entry arrives; an unselected pod then opens, a selected
 * one follows its policies. The pod CIDRs are node configuration (Node {@code spec.podCIDRs});
 * without any, fail closed has nothing to guard and renders exactly as {@link #OPEN}.
 *
 * @param failClosed drop traffic to and from local pod addresses without a verdict
 * @param podCidrs   this node's pod address ranges; may overlap (they are merged); empty = none known
 */
public record NewPods(boolean failClosed, List<Cidr> podCidrs) {

    /** New pods pass until their rules arrive: the table exactly as before fail closed existed. */
    public static final NewPods OPEN = new NewPods(false, List.of());

    public NewPods {
        podCidrs = List.copyOf(podCidrs);
    }

    /** Fail closed for the addresses of these pod CIDRs. */
    public static NewPods failClosed(List<Cidr> podCidrs) {
        return new NewPods(true, podCidrs);
    }

    /**
     * Parses the agent's setting: CIDR texts ({@code 10.244.1.0/24}, {@code fd00:10:244:1::/64}).
     * Throws IllegalArgumentException naming the first text that is not a CIDR.
     */
    public static NewPods of(boolean failClosed, List<String> podCidrs) {
        List<Cidr> parsed = podCidrs.stream().map(String::strip).filter(text -> !text.isEmpty())
                .map(text -> Cidr.parse(text).orElseThrow(() -> new IllegalArgumentException(
                        "pod CIDR '" + text + "' is not a CIDR"))).toList();
        return new NewPods(failClosed, parsed);
    }

    /** The guarded ranges of one IP family (4 or 6), sorted and disjoint; empty when not failing closed. */
    List<AddressRange> guarded(int family) {
        if (!failClosed) {
            return List.of();
        }
        return IntervalMath.union(podCidrs.stream().filter(cidr -> cidr.ipv6() == (family == 6))
                .map(AddressRange::of).toList());
    }
}
