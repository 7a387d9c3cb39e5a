package dev.stockade.replication;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;
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

    /**
     * Calls {@code onLeft} with the names of the members that left {@code manager}'s cluster view
     * (a killed process is seen at once: its socket closes), off the thread that installs the view.
     * What the caller makes of it must be safe when the member is in fact alive on the other side
     * of a network partition.
     */
    public static void whenMembersLeave(EmbeddedCacheManager manager, Consumer<Set<String>> onLeft) {
        manager.addListener(new MembersLeft(onLeft));
    }

    /** The view listener behind {@link #whenMembersLeave}; public because Infinispan requires it. */
    @Listener(sync = false)
    public static final class MembersLeft {
        private final Consumer<Set<String>> onLeft;

        MembersLeft(Consumer<Set<String>> onLeft) {
            this.onLeft = onLeft;
        }

        @ViewChanged
        public void viewChanged(ViewChangedEvent event) {
            Set<String> left = new LinkedHashSet<>();
            event.getOldMembers().stream().map(Address::toString).forEach(left::add);
            event.getNewMembers().stream().map(Address::toString).forEach(left::remove);
            if (!left.isEmpty()) {
                onLeft.accept(left);
            }
        }
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
