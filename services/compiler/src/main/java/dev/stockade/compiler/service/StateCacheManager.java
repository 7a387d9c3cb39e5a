package dev.stockade.compiler.service;

import dev.stockade.compiler.CacheManagers;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.infinispan.manager.EmbeddedCacheManager;

/** The replica's embedded Infinispan member (no Quarkus extension for embedded Infinispan fits 3.33). */
public class StateCacheManager {

    @Produces
    @Singleton
    EmbeddedCacheManager cacheManager(CompilerConfig config) {
        return CacheManagers.start(config.jgroups().clusterName(), ReplicaName.of(config), config.jgroups().stack());
    }

    void stop(@Disposes EmbeddedCacheManager manager) {
        manager.stop();
    }
}
