package dev.stockade.compiler;

import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.infinispan.transaction.LockingMode;
import org.infinispan.transaction.TransactionMode;
import org.infinispan.transaction.lookup.EmbeddedTransactionManagerLookup;
import org.infinispan.util.concurrent.IsolationLevel;

/**
 * The embedded Infinispan member of a compiler replica: clustered over JGroups (a stack file:
 * {@code jgroups-loopback.xml} on one machine, {@code jgroups-kubernetes.xml} with DNS_PING in
 * Kubernetes) with one REPL_SYNC, transactional, pessimistically locked cache for the state.
 */
public final class CacheManagers {

    /** Name of the state cache. */
    public static final String STATE_CACHE = "stockade-compiler-state";

    private CacheManagers() {
    }

    /** Starts a member of {@code clusterName} named {@code nodeName}; the caller stops it. */
    public static EmbeddedCacheManager start(String clusterName, String nodeName, String jgroupsStackFile) {
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.transport().clusterName(clusterName).nodeName(nodeName)
                .addProperty(JGroupsTransport.CONFIGURATION_FILE, jgroupsStackFile);
        global.jmx().disable();
        ConfigurationBuilder state = new ConfigurationBuilder();
        state.clustering().cacheMode(CacheMode.REPL_SYNC)
                .stateTransfer().awaitInitialTransfer(true)
                .transaction().transactionMode(TransactionMode.TRANSACTIONAL)
                .lockingMode(LockingMode.PESSIMISTIC)
                .transactionManagerLookup(new EmbeddedTransactionManagerLookup())
                .locking().isolationLevel(IsolationLevel.READ_COMMITTED).lockAcquisitionTimeout(10_000);
        DefaultCacheManager manager = new DefaultCacheManager(global.build());
        manager.defineConfiguration(STATE_CACHE, state.build());
        manager.getCache(STATE_CACHE);
        return manager;
    }
}
