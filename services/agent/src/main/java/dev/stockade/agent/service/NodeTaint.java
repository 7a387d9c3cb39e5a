package dev.stockade.agent.service;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * The agent's taint on its own Node, {@value #KEY}:NoSchedule (Cilium's
 * {@code node.cilium.io/agent-not-ready}): while a node carries it the scheduler places no pod
 * there (except those that tolerate it, like the agent's DaemonSet), so no pod lands on a node whose
 * table is not enforced. Nodes are registered with it (kubelet {@code --register-with-taints}, or
 * the node pool's taints); the agent removes it once it enforces a rule set it trusts
 * ({@code AgentNode.enforcingFuture()}), and puts it back at start when it finds its node
 * unprotected (the reboot case: the kubelet does not re-apply registration taints to a Node that
 * already exists). It is not put back on shutdown: the table outlives the agent in the kernel.
 *
 * <p>Writes are JSON patches of {@code spec.taints} of this node only, and only of the one element:
 * removal tests the element's key and effect at its index before removing it (a concurrent change
 * to the list makes the test fail and the patch is retried on a fresh read); adding appends, or,
 * when the node has no taints at all (absent or empty), tests the resourceVersion before setting the
 * list. A failed test is answered 422 by the API server (409 for a stale resourceVersion). Needs
 * exactly {@code get} and {@code patch} on {@code nodes} (the agent's ClusterRole).
 */
final class NodeTaint {

    static final String KEY = "stockade.dev/agent-not-ready";
    static final String EFFECT = "NoSchedule";
    private static final Logger LOG = Logger.getLogger(NodeTaint.class.getName());
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);
    private static final int CONFLICT_RETRIES = 10;

    private final KubernetesClient client;
    private final String node;

    NodeTaint(KubernetesClient client, String node) {
        this.client = client;
        this.node = node;
    }

    /** Removes the taint if the node has it; true when this call removed it. Retries on a conflicting change. */
    boolean remove() {
        for (int attempt = 1; ; attempt++) {
            Node current = read();
            List<Taint> taints = taints(current);
            int index = indexOf(taints);
            if (index < 0) {
                return false;
            }
            String patch = "[" + test("/spec/taints/" + index + "/key", KEY) + ","
                    + test("/spec/taints/" + index + "/effect", EFFECT) + ","
                    + "{\"op\":\"remove\",\"path\":\"/spec/taints/" + index + "\"}]";
            if (patched(patch, attempt)) {
                LOG.info("node " + node + ": removed the taint " + KEY + ":" + EFFECT);
                return true;
            }
        }
    }

    /** Adds the taint if the node lacks it; true when this call added it. Retries on a conflicting change. */
    boolean add() {
        String taint = "{\"key\":\"" + KEY + "\",\"effect\":\"" + EFFECT + "\"}";
        for (int attempt = 1; ; attempt++) {
            Node current = read();
            if (indexOf(taints(current)) >= 0) {
                return false;
            }
            String patch = !taints(current).isEmpty()
                    ? "[{\"op\":\"add\",\"path\":\"/spec/taints/-\",\"value\":" + taint + "}]"
                    : "[" + test("/metadata/resourceVersion", current.getMetadata().getResourceVersion()) + ","
                    + "{\"op\":\"add\",\"path\":\"/spec/taints\",\"value\":[" + taint + "]}]";
            if (patched(patch, attempt)) {
                LOG.info("node " + node + ": added the taint " + KEY + ":" + EFFECT + " (its rules are not enforced yet)");
                return true;
            }
        }
    }

    /** Whether the node carries the taint now. */
    boolean present() {
        return indexOf(taints(read())) >= 0;
    }

    private Node read() {
        Node current = client.nodes().withName(node).get();
        if (current == null) {
            throw new IllegalStateException("node " + node + " does not exist");
        }
        return current;
    }

    /** True when applied; false on a conflict (the list changed since it was read: read again). */
    private boolean patched(String patch, int attempt) {
        try {
            client.nodes().withName(node).patch(JSON_PATCH, patch);
            return true;
        } catch (KubernetesClientException e) {
            boolean conflict = e.getCode() == 409 || e.getCode() == 422;
            if (!conflict || attempt >= CONFLICT_RETRIES) {
                throw e;
            }
            LOG.fine(() -> "node " + node + ": taint patch conflicted (" + e.getCode() + "), reading again");
            sleep(Duration.ofMillis(20L * attempt));
            return false;
        }
    }

    private static List<Taint> taints(Node node) {
        return node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    }

    private static int indexOf(List<Taint> taints) {
        for (int i = 0; i < taints.size(); i++) {
            if (KEY.equals(taints.get(i).getKey()) && EFFECT.equals(taints.get(i).getEffect())) {
                return i;
            }
        }
        return -1;
    }

    private static String test(String path, String value) {
        return "{\"op\":\"test\",\"path\":\"" + path + "\",\"value\":\"" + value.replace("\"", "\\\"") + "\"}";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
