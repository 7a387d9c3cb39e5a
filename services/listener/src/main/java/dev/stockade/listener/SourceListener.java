package dev.stockade.listener;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.events.v1.ResourceKey;

/**
 * What a {@link ClusterSource} tells the listener. Calls may come from any thread, in the order
 * the source saw the changes.
 */
public interface SourceListener {

    /** The object (untrimmed Kubernetes JSON) exists now with this content: added or modified. */
    void upsert(JsonNode object);

    /** The object with this key no longer exists. */
    void delete(ResourceKey key);

    /**
     * The source has listed everything once: from now on {@link ClusterSource#current()} is a
     * complete picture of the cluster (what a reconcile may compare the topic with).
     */
    void initialListDone();
}
