package dev.stockade.listener;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.kube.KubeObjectTrimmer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a new leader must publish so that the topic equals the cluster: a tombstone for every key
 * on the topic whose object no longer exists (a delete no leader saw), and the object for every
 * key whose trimmed content differs from the topic's or is missing there. Pure: a function of
 * the topic's fingerprints and the source's current objects. Keys come out sorted, so the order
 * of the published records does not depend on hash order.
 */
public record ReconcilePlan(List<ResourceKey> tombstones, List<JsonNode> upserts) {

    private static final KubeObjectTrimmer TRIMMER = new KubeObjectTrimmer();

    public ReconcilePlan {
        tombstones = List.copyOf(tombstones);
        upserts = List.copyOf(upserts);
    }

    /**
     * @param onTopic the topic's live keys and fingerprints ({@link TopicReader#read()})
     * @param current the source's objects by key, untrimmed ({@link ClusterSource#current()})
     */
    public static ReconcilePlan between(Map<ResourceKey, Fingerprint> onTopic, Map<ResourceKey, JsonNode> current) {
        List<ResourceKey> tombstones = new ArrayList<>();
        for (ResourceKey key : byText(onTopic.keySet()).values()) {
            if (!current.containsKey(key)) {
                tombstones.add(key);
            }
        }
        List<JsonNode> upserts = new ArrayList<>();
        for (ResourceKey key : byText(current.keySet()).values()) {
            JsonNode object = current.get(key);
            Fingerprint now = TRIMMER.trim(object).map(Fingerprint::of).orElse(null);
            if (now != null && !now.equals(onTopic.get(key))) {
                upserts.add(object);
            }
        }
        return new ReconcilePlan(tombstones, upserts);
    }

    private static Map<String, ResourceKey> byText(Iterable<ResourceKey> keys) {
        Map<String, ResourceKey> byText = new TreeMap<>();
        keys.forEach(key -> byText.put(key.encode(), key));
        return byText;
    }
}
