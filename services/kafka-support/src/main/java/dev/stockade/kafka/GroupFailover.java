package dev.stockade.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * Hands a consumer group's partitions on within a second or two when a replica dies, instead of
 * after the group's session timeout (6 s, the broker's minimum by default).
 *
 * <p>A replica that is {@code kill -9}ed sends no LeaveGroup: Kafka keeps its partitions assigned
 * to it until its session times out. Two things shorten that, both keyed by the replica's name
 * (its pod name, which a restarted container keeps):
 * <ul>
 *   <li><b>Static membership</b> ({@code group.instance.id} = the replica's name): the restarted
 *       replica rejoins as the same member and gets its partitions back at once, without a
 *       rebalance.</li>
 *   <li><b>Eviction</b>: the replicas also form a JGroups cluster, whose failure detection sees a
 *       killed process's socket close at once. When a member leaves that view, the survivors
 *       remove it from the consumer group ({@link #evict}), which starts the rebalance now.</li>
 * </ul>
 * Neither decides who may write: a wrongly evicted replica (a JGroups partition while it is alive)
 * only rejoins, and the services' fences (the transactional producer's epoch, the owner token)
 * still stop a deposed writer. A static member does not leave the group when it closes unless
 * asked to, so a graceful stop leaves explicitly ({@link #leaveAndClose}) and the standby takes
 * over at once.
 */
public final class GroupFailover implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupFailover.class.getName());
    private static final Duration EVICT_TIMEOUT = Duration.ofSeconds(5);

    private final String groupId;
    private final Admin admin;

    /** An evictor for {@code groupId}, with an admin client made from the group's consumer properties. */
    public GroupFailover(String groupId, Properties consumerProperties) {
        this.groupId = groupId;
        this.admin = Admin.create(adminProperties(consumerProperties));
    }

    /** {@code consumerProperties} with this replica as the group's static member {@code replicaName}. */
    public static Properties staticMember(Properties consumerProperties, String replicaName) {
        consumerProperties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, replicaName);
        return consumerProperties;
    }

    /** Closes {@code consumer} leaving its group, so its partitions move now rather than after the session timeout. */
    public static void leaveAndClose(Consumer<?, ?> consumer, Duration timeout) {
        consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
    }

    /**
     * Removes the static members {@code replicaNames} (replicas that left the JGroups view) from
     * the group, so their partitions are reassigned now. A name that is not (or no longer) a member
     * is not an error: the replica may have left cleanly, or already been replaced by its restart.
     */
    public void evict(Collection<String> replicaNames) {
        if (replicaNames.isEmpty()) {
            return;
        }
        List<MemberToRemove> members = replicaNames.stream().map(MemberToRemove::new).toList();
        try {
            admin.removeMembersFromConsumerGroup(groupId, new RemoveMembersFromConsumerGroupOptions(members))
                    .all().get(EVICT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("removed " + replicaNames + " from consumer group " + groupId
                    + " (they left the replicas' cluster): their partitions are reassigned now");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownMemberIdException) {
                LOG.fine(replicaNames + " not in consumer group " + groupId + " any more");
            } else {
                LOG.log(Level.WARNING, "could not remove " + replicaNames + " from consumer group " + groupId
                        + "; their partitions move when their sessions time out", e.getCause());
            }
        } catch (TimeoutException e) {
            LOG.warning("removing " + replicaNames + " from consumer group " + groupId + " timed out after "
                    + EVICT_TIMEOUT + "; their partitions move when their sessions time out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }

    /** The connection and security settings of a consumer's properties (bootstrap, TLS, SASL), for an admin client. */
    static Properties adminProperties(Properties consumerProperties) {
        Properties admin = new Properties();
        for (Map.Entry<Object, Object> entry : consumerProperties.entrySet()) {
            String key = entry.getKey().toString();
            if (AdminClientConfig.configNames().contains(key) && !key.equals(AdminClientConfig.CLIENT_ID_CONFIG)) {
                admin.put(key, entry.getValue());
            }
        }
        Object clientId = consumerProperties.get(ConsumerConfig.CLIENT_ID_CONFIG);
        if (clientId != null) {
            admin.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-failover");
        }
        return admin;
    }
}
