package dev.stockade.listener;

import static dev.stockade.listener.Objects.legacyPolicy;
import static dev.stockade.listener.Objects.namespace;
import static dev.stockade.listener.Objects.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.kube.KubeObjectTrimmer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilePlanTest {

    private static final KubeObjectTrimmer TRIMMER = new KubeObjectTrimmer();

    @Test
    void aKeyOnTheTopicWhoseObjectNoLongerExistsGetsATombstone() {
        JsonNode gone = pod("tenant-a", "gone", "frontend", "1");
        JsonNode kept = pod("tenant-a", "kept", "frontend", "1");
        ReconcilePlan plan = ReconcilePlan.between(topic(gone, kept), cluster(kept));
        assertEquals(List.of(key(gone)), plan.tombstones());
        assertEquals(List.of(), plan.upserts());
    }

    @Test
    void anObjectMissingFromTheTopicOrDifferentThereIsPublished() {
        JsonNode before = namespace("tenant-a", "off");
        JsonNode after = namespace("tenant-a", "on");
        JsonNode added = legacyPolicy("tenant-a", "pol1");
        ReconcilePlan plan = ReconcilePlan.between(topic(before), cluster(after, added));
        assertEquals(List.of(), plan.tombstones());
        assertEquals(List.of(added, after), plan.upserts(), "sorted by key: LegacyNetworkPolicy before Namespace");
    }

    @Test
    void anObjectThatDiffersOnlyInResourceVersionIsNotRepublished() {
        ReconcilePlan plan = ReconcilePlan.between(topic(pod("x", "a", "f", "1")), cluster(pod("x", "a", "f", "2")));
        assertEquals(List.of(), plan.upserts());
    }

    @Test
    void anUnreadableValueOnTheTopicIsRewritten() {
        JsonNode pod = pod("x", "a", "f", "1");
        ReconcilePlan plan = ReconcilePlan.between(Map.of(key(pod), Fingerprint.UNREADABLE), cluster(pod));
        assertEquals(List.of(pod), plan.upserts());
    }

    @Test
    void tombstonesComeInKeyOrderWhateverTheMapOrder() {
        List<JsonNode> pods = List.of(pod("x", "c", "f", "1"), pod("x", "a", "f", "1"), pod("x", "b", "f", "1"));
        ReconcilePlan plan = ReconcilePlan.between(topic(pods.toArray(JsonNode[]::new)), Map.of());
        assertEquals(List.of("Pod/x/a", "Pod/x/b", "Pod/x/c"),
                plan.tombstones().stream().map(ResourceKey::encode).toList());
    }

    private static ResourceKey key(JsonNode object) {
        return ResourceKeys.of(object).orElseThrow();
    }

    private static Map<ResourceKey, Fingerprint> topic(JsonNode... objects) {
        Map<ResourceKey, Fingerprint> topic = new HashMap<>();
        for (JsonNode object : objects) {
            topic.put(key(object), Fingerprint.of(TRIMMER.trim(object).orElseThrow()));
        }
        return topic;
    }

    private static Map<ResourceKey, JsonNode> cluster(JsonNode... objects) {
        Map<ResourceKey, JsonNode> cluster = new HashMap<>();
        for (JsonNode object : objects) {
            cluster.put(key(object), object);
        }
        return cluster;
    }
}
