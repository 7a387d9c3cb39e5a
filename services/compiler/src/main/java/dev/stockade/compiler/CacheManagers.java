package dev.stockade.compiler;

import dev.stockade.replication.ReplicatedCaches;
import java.util.Map;
import org.infinispan.manager.EmbeddedCacheManager;

/** The embedded Infinispan member of a compiler replica, with its one transactional state cache. */
public final class CacheManagers {

    /** Name of the state cache. */
    public static final String STATE_CACHE = "stockade-compiler-state";

    private CacheManagers() {
    }

    /** Starts a member of {@code clusterName} named {@code nodeName}; the caller stops it. */
    public static EmbeddedCacheManager start(String clusterName, String nodeName, String jgroupsStackFile) {
        return ReplicatedCaches.start(clusterName, nodeName, jgroupsStackFile,
                Map.of(STATE_CACHE, ReplicatedCaches.transactional()));
    }
}
