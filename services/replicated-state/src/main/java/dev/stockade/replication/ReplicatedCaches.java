package dev.stockade.replication;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.Configuration;
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
 * An embedded Infinispan member for replicas that share state: clustered over JGroups with a
 * stack file on the classpath ({@value #LOOPBACK} on one machine: TCP on 127.0.0.1 with TCPPING
 * over the port block {@code stockade.jgroups.port}; {@value #KUBERNETES} in a cluster: DNS_PING
 * with {@code jgroups.dns.query} naming the headless Service). Caches are REPL_SYNC: every member
 * holds everything and a write returns once every member has it.
 */
public final class ReplicatedCaches {

    public static final String LOOPBACK = "jgroups-loopback.xml";
    public static final String KUBERNETES = "jgroups-kubernetes.xml";

    private ReplicatedCaches() {
    }

    /** Starts a member of {@code clusterName} named {@code nodeName} with the given caches; the caller stops it. */
    public static EmbeddedCacheManager start(String clusterName, String nodeName, String jgroupsStackFile,
                                             Map<String, Configuration> caches) {
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.transport().clusterName(clusterName).nodeName(nodeName)
                .addProperty(JGroupsTransport.CONFIGURATION_FILE, jgroupsStackFile);
        global.jmx().disable();
        DefaultCacheManager manager = new DefaultCacheManager(global.build());
        caches.forEach(manager::defineConfiguration);
        caches.keySet().forEach(manager::getCache);
        return manager;
    }

    /** REPL_SYNC, transactional with pessimistic locks: for state written in atomic batches. */
    public static Configuration transactional() {
        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.clustering().cacheMode(CacheMode.REPL_SYNC).stateTransfer().awaitInitialTransfer(true)
                .transaction().transactionMode(TransactionMode.TRANSACTIONAL).lockingMode(LockingMode.PESSIMISTIC)
                .transactionManagerLookup(new EmbeddedTransactionManagerLookup())
                .locking().isolationLevel(IsolationLevel.READ_COMMITTED).lockAcquisitionTimeout(10_000);
        return builder.build();
    }

    /** REPL_SYNC without transactions: for per-key state with one writer per key. */
    public static Configuration replicated() {
        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.clustering().cacheMode(CacheMode.REPL_SYNC).stateTransfer().awaitInitialTransfer(true);
        return builder.build();
    }

    /**
     * A member's default name: the pod's name from {@code environmentVariable}, else the host name,
     * else {@code fallbackPrefix-<pid>}.
     */
    public static String podName(String environmentVariable, String fallbackPrefix) {
        String pod = System.getenv(environmentVariable);
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return fallbackPrefix + "-" + ProcessHandle.current().pid();
        }
    }
}
