package dev.stockade.listener;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;

/**
 * fabric8's {@link LeaseLock}, renewing with a PUT ({@code update}, with the resourceVersion of
 * the Lease last read: optimistic locking) instead of fabric8 7's PATCH. Why: the listener's Role
 * grants {@code create, get, update} on its Lease and nothing else (checked against the recorded
 * requests by {@code ListenerRbacContractTest});
 * a PATCH needs the {@code patch} verb and would be refused, so the leader could never renew.
 * A conflicting write (another replica took the Lease) fails with 409 and the elector retries.
 */
final class UpdatingLeaseLock extends LeaseLock {

    private final String namespace;
    private final String name;
    private Lease current;

    UpdatingLeaseLock(String namespace, String name, String identity) {
        super(namespace, name, identity);
        this.namespace = namespace;
        this.name = name;
    }

    @Override
    public synchronized LeaderElectionRecord get(KubernetesClient client) {
        current = client.resources(Lease.class).inNamespace(namespace).withName(name).get();
        return current == null ? null : toRecord(current);
    }

    @Override
    public synchronized void create(KubernetesClient client, LeaderElectionRecord record) {
        current = client.resource(toResource(record, getObjectMeta(null))).create();
    }

    @Override
    public synchronized void update(KubernetesClient client, LeaderElectionRecord record) {
        if (current == null) {
            throw new IllegalStateException("get or create must be called before update");
        }
        current = client.resource(toResource(record, getObjectMeta(current.getMetadata().getResourceVersion())))
                .update();
    }
}
