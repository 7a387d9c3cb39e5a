package dev.stockade.listener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.events.v1.ResourceKey;
import dev.stockade.kube.KubeObjectConverter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The cluster as the Kubernetes API serves it: fabric8 informers (list, then watch; re-list on
 * expiry) on Pods, Namespaces and Nodes, {@code networking.k8s.io/v1} NetworkPolicies, and the
 * 2016 policies ({@code net.alpha.kubernetes.io/v1alpha1}, plural {@code networkpolicys}, served
 * by the CRD in {@code k8s/base/core/crd}) and ClusterNetworkPolicies
 * ({@code policy.networking.k8s.io/v1alpha2}, cluster-scoped, upstream's CRD vendored in the same
 * directory) through {@code genericKubernetesResources}. Uses only list and watch in all namespaces: all the listener's ClusterRole grants ({@code ListenerRbacContractTest}
 * records the requests and checks the rules allow exactly those).
 *
 * <p>An informer whose list fails (API down, CRD not installed yet) keeps retrying; the source is
 * {@link #synced()} only when all six have listed once. Without
 * the ClusterNetworkPolicy CRD installed the source never syncs: install it (k8s/base/core/crd).
 */
public final class InformerSource implements ClusterSource {

    private static final Logger LOG = Logger.getLogger(InformerSource.class);

    /** The CRD of the 2016 policy API. */
    static final ResourceDefinitionContext LEGACY_POLICIES = new ResourceDefinitionContext.Builder()
            .withGroup("net.alpha.kubernetes.io").withVersion("v1alpha1").withPlural("networkpolicys")
            .withKind("NetworkPolicy").withNamespaced(true).build();

    /** The CRD of {@code policy.networking.k8s.io/v1alpha2} ClusterNetworkPolicy (network-policy-api, cluster-scoped). */
    static final ResourceDefinitionContext CLUSTER_NETWORK_POLICIES = new ResourceDefinitionContext.Builder()
            .withGroup("policy.networking.k8s.io").withVersion("v1alpha2").withPlural("clusternetworkpolicies")
            .withKind("ClusterNetworkPolicy").withNamespaced(false).build();

    /** One watched resource: its apiVersion and kind (stamped on every object) and how to reach it. */
    private record Watched(String apiVersion, String kind,
                           Function<KubernetesClient, Informable<? extends HasMetadata>> operation) {
    }

    private static final List<Watched> WATCHED = List.of(
            new Watched("v1", "Namespace", KubernetesClient::namespaces),
            new Watched("v1", "Node", KubernetesClient::nodes),
            new Watched("v1", "Pod", client -> client.pods().inAnyNamespace()),
            new Watched("networking.k8s.io/v1", "NetworkPolicy",
                    client -> client.network().v1().networkPolicies().inAnyNamespace()),
            new Watched(KubeObjectConverter.LEGACY_API_VERSION, "NetworkPolicy",
                    client -> client.genericKubernetesResources(LEGACY_POLICIES).inAnyNamespace()),
            new Watched(KubeObjectConverter.CLUSTER_NETWORK_POLICY_API_VERSION, "ClusterNetworkPolicy",
                    client -> client.genericKubernetesResources(CLUSTER_NETWORK_POLICIES)));

    private final KubernetesClient client;
    private final List<Running> running = new CopyOnWriteArrayList<>();
    private volatile boolean synced;

    /** A started informer and the apiVersion/kind of its objects. */
    private record Running(Watched watched, SharedIndexInformer<? extends HasMetadata> informer) {
    }

    public InformerSource(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void start(SourceListener listener) {
        List<CompletableFuture<Void>> listed = new ArrayList<>();
        for (Watched watched : WATCHED) {
            SharedIndexInformer<? extends HasMetadata> informer = informer(watched, listener);
            running.add(new Running(watched, informer));
            listed.add(informer.start().toCompletableFuture());
        }
        CompletableFuture.allOf(listed.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
            if (error != null) {
                LOG.errorf("informers did not start: %s", error.getMessage());
                return;
            }
            synced = true;
            listener.initialListDone();
        });
    }

    private <T extends HasMetadata> SharedIndexInformer<T> informer(Watched watched, SourceListener listener) {
        @SuppressWarnings("unchecked")
        Informable<T> operation = (Informable<T>) watched.operation().apply(client);
        SharedIndexInformer<T> informer = operation.runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            LOG.warnf("informer of %s %s: %s (retrying)", watched.apiVersion(), watched.kind(), error.getMessage());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T object) {
                listener.upsert(json(watched, object));
            }

            @Override
            public void onUpdate(T before, T after) {
                listener.upsert(json(watched, after));
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                ResourceKeys.of(json(watched, object)).ifPresent(listener::delete);
            }
        });
        return informer;
    }

    @Override
    public boolean synced() {
        return synced;
    }

    @Override
    public Map<ResourceKey, JsonNode> current() {
        Map<ResourceKey, JsonNode> current = new HashMap<>();
        for (Running r : running) {
            for (HasMetadata object : r.informer().getStore().list()) {
                JsonNode json = json(r.watched(), object);
                ResourceKeys.of(json).ifPresent(key -> current.put(key, json));
            }
        }
        return current;
    }

    @Override
    public void close() {
        running.forEach(r -> r.informer().close());
        running.clear();
    }

    /**
     * The object as Kubernetes JSON, with apiVersion and kind set from the informer (items of a
     * list response carry neither).
     */
    private JsonNode json(Watched watched, HasMetadata object) {
        ObjectNode json = client.getKubernetesSerialization().convertValue(object, ObjectNode.class);
        json.put("apiVersion", watched.apiVersion());
        json.put("kind", watched.kind());
        return json;
    }
}
