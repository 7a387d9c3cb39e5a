package dev.stockade.compiler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The compiler group's assignment: every partition (partition 0 of the resources and of the
 * control topic) goes to one replica, the active one, and stays there while it is a member.
 *
 * <p>With the range assignment used before, a standby that restarted and rejoined could take the
 * partitions (members sort by name), and under the eager protocol every rebalance revoked and
 * reassigned them even when they did not move: each standby restart cost the active replica a
 * take-over. Here the rebalance is cooperative (a member keeps what it is not asked to give up,
 * and is told nothing) and a partition with a live owner never moves; partitions no member owns
 * (the active left, or at the start) go to the member that owns the most, so the resources and
 * control partitions stay together, else to the first member by name. A partition claimed by two
 * members (a deposed one that has not yet heard) goes to the claim of the newest generation.
 */
public final class ActiveReplicaAssignor implements ConsumerPartitionAssignor {

    public static final String NAME = "stockade-active-replica";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> members = new TreeMap<>(Comparator.naturalOrder());
        members.putAll(groupSubscription.groupSubscription());
        List<TopicPartition> partitions = new ArrayList<>();
        members.values().stream().flatMap(subscription -> subscription.topics().stream()).distinct().sorted()
                .forEach(topic -> {
                    List<PartitionInfo> infos = metadata.partitionsForTopic(topic);
                    infos.stream().map(info -> new TopicPartition(topic, info.partition()))
                            .sorted(Comparator.comparingInt(TopicPartition::partition)).forEach(partitions::add);
                });

        Map<TopicPartition, String> owners = new HashMap<>();
        Map<TopicPartition, Integer> ownerGenerations = new HashMap<>();
        members.forEach((member, subscription) -> {
            int generation = subscription.generationId().orElse(-1);
            for (TopicPartition owned : subscription.ownedPartitions()) {
                if (partitions.contains(owned) && generation > ownerGenerations.getOrDefault(owned, Integer.MIN_VALUE)) {
                    owners.put(owned, member);
                    ownerGenerations.put(owned, generation);
                }
            }
        });
        Map<String, Integer> ownedCount = new HashMap<>();
        owners.values().forEach(member -> ownedCount.merge(member, 1, Integer::sum));
        String heir = members.keySet().stream()
                .min(Comparator.<String>comparingInt(member -> -ownedCount.getOrDefault(member, 0))
                        .thenComparing(member -> nameOf(member, members.get(member))))
                .orElseThrow();

        Map<String, List<TopicPartition>> assigned = new TreeMap<>();
        members.keySet().forEach(member -> assigned.put(member, new ArrayList<>()));
        partitions.forEach(partition -> assigned.get(owners.getOrDefault(partition, heir)).add(partition));
        Map<String, Assignment> assignment = new HashMap<>();
        assigned.forEach((member, list) -> assignment.put(member, new Assignment(list)));
        return new GroupAssignment(assignment);
    }

    /** A member's stable name: its static instance id (the replica's name), else its member id. */
    private static String nameOf(String memberId, Subscription subscription) {
        return subscription.groupInstanceId().orElse(memberId);
    }
}
