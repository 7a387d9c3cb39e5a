package dev.stockade.listener;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stockade.events.v1.ResourceKey;
import java.util.Map;

/**
 * Where the listener learns the cluster's objects: the Kubernetes API ({@link InformerSource}) or
 * a directory of manifests ({@link DirectorySource}, the embedded demo). A source reports every
 * change to its {@link SourceListener} and can say at any time what exists.
 */
public interface ClusterSource extends AutoCloseable {

    /** Starts watching; returns without waiting for the first listing. */
    void start(SourceListener listener);

    /** True once the first complete listing has been reported. */
    boolean synced();

    /**
     * Every object that exists now, by key, as untrimmed Kubernetes JSON. Complete only once
     * {@link #synced()}; objects of kinds Stockade does not read are absent.
     */
    Map<ResourceKey, JsonNode> current();

    /** Stops watching; no listener calls after this returns. */
    @Override
    void close();
}
