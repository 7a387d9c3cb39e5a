package dev.stockade.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ActiveReplicaAssignorTest {

    private static final List<String> TOPICS = List.of("stockade.resources", "stockade.control");
    private static final TopicPartition RESOURCES = new TopicPartition("stockade.resources", 0);
    private static final TopicPartition CONTROL = new TopicPartition("stockade.control", 0);
    private static final Node BROKER = new Node(0, "localhost", 9092);
    private static final Cluster CLUSTER = new Cluster("c", List.of(BROKER), List.of(
            new PartitionInfo("stockade.resources", 0, BROKER, new Node[] {BROKER}, new Node[] {BROKER}),
            new PartitionInfo("stockade.control", 0, BROKER, new Node[] {BROKER}, new Node[] {BROKER})),
            Set.of(), Set.of());

    private final ActiveReplicaAssignor assignor = new ActiveReplicaAssignor();

    @Test
    void atTheStartBothPartitionsGoToTheFirstReplicaByName() {
        Map<String, List<TopicPartition>> assigned = assign(Map.of(
                "member-b", member("compiler-1", List.of(), 1),
                "member-a", member("compiler-2", List.of(), 1)));
        assertEquals(Set.of(RESOURCES, CONTROL), Set.copyOf(assigned.get("member-b")));
        assertEquals(List.of(), assigned.get("member-a"));
    }

    @Test
    void aRejoiningReplicaDoesNotTakeThePartitionsFromTheActiveOne() {
        Map<String, List<TopicPartition>> assigned = assign(Map.of(
                "m1", member("compiler-1", List.of(), -1),
                "m2", member("compiler-2", List.of(RESOURCES, CONTROL), 4)));
        assertEquals(List.of(), assigned.get("m1"));
        assertEquals(Set.of(RESOURCES, CONTROL), Set.copyOf(assigned.get("m2")));
    }

    @Test
    void partitionsNobodyOwnsJoinTheReplicaThatOwnsTheOthers() {
        Map<String, List<TopicPartition>> assigned = assign(Map.of(
                "m1", member("compiler-1", List.of(), 3),
                "m2", member("compiler-2", List.of(RESOURCES), 3)));
        assertEquals(Set.of(RESOURCES, CONTROL), Set.copyOf(assigned.get("m2")));
    }

    @Test
    void aClaimOfAnOlderGenerationLosesToTheNewerOne() {
        Map<String, List<TopicPartition>> assigned = assign(Map.of(
                "m1", member("compiler-1", List.of(RESOURCES, CONTROL), 2),
                "m2", member("compiler-2", List.of(RESOURCES, CONTROL), 5)));
        assertEquals(List.of(), assigned.get("m1"));
        assertEquals(Set.of(RESOURCES, CONTROL), Set.copyOf(assigned.get("m2")));
    }

    private Map<String, List<TopicPartition>> assign(Map<String, Subscription> members) {
        Map<String, List<TopicPartition>> result = new java.util.HashMap<>();
        assignor.assign(CLUSTER, new GroupSubscription(members)).groupAssignment()
                .forEach((member, assignment) -> result.put(member, assignment.partitions()));
        return result;
    }

    private static Subscription member(String instanceId, List<TopicPartition> owned, int generation) {
        Subscription subscription = new Subscription(TOPICS, null, owned, generation, Optional.empty());
        subscription.setGroupInstanceId(Optional.of(instanceId));
        return subscription;
    }
}
