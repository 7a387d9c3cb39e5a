package dev.stockade.core.engine;

import dev.stockade.core.model.ClusterNetworkPolicyInfo;
import dev.stockade.core.model.EventType;
import dev.stockade.core.model.LegacyPolicyInfo;
import dev.stockade.core.model.NamespaceInfo;
import dev.stockade.core.model.NetworkPolicyInfo;
import dev.stockade.core.model.NodeInfo;
import dev.stockade.core.model.ObjectRef;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Rejection;
import dev.stockade.core.model.Resource;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.model.ResourceKind;
import dev.stockade.core.policy.ClusterPolicyDefinition;
import dev.stockade.core.policy.ClusterPolicyValidation;
import dev.stockade.core.policy.ClusterPolicyValidator;
import dev.stockade.core.policy.LegacyPolicyValidator;
import dev.stockade.core.policy.NamespaceIsolationValidator;
import dev.stockade.core.policy.PolicyDefinition;
import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.PolicyRef;
import dev.stockade.core.policy.PolicyValidator;
import dev.stockade.core.policy.Validation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster as the compiler knows it: the objects it was told about and the valid policy
 * definitions derived from them.
 *
 * <p>Decisions: an invalid policy update is rejected and the last valid version stays in force
 * (what the API server does with an invalid update); an invalid new policy is simply absent.
 * Deleting a namespace deletes its pods and policies. A pod whose namespace is unknown sees only
 * the implicit {@code kubernetes.io/metadata.name} label.
 *
 * <p>ClusterNetworkPolicies are validated and kept the same way (an invalid update leaves the last
 * version in force; one failing closed is in force with its rejections) but apart from the v1 and
 * 2016 definitions: {@link #definitions()} (the NetworkPolicy tier) does not hold them; they are
 * {@link #clusterPolicies()}, and both compilers compile both.
 */
public final class ClusterState {

    private final Map<String, NamespaceInfo> namespaces = new HashMap<>();
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private final Map<String, PodInfo> pods = new HashMap<>();
    private final Map<String, Map<String, PodInfo>> podsByNamespace = new HashMap<>();
    /** Per namespace, per {@code key=value} label, the pods carrying it: selectors start from the smallest list. */
    private final Map<String, Map<String, Map<String, PodInfo>>> podsByLabel = new HashMap<>();
    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final Map<ObjectRef, Resource> policyObjects = new HashMap<>();
    private final Map<String, Set<ObjectRef>> policyObjectsByNamespace = new HashMap<>();
    private final Map<String, PolicyRef> isolationByNamespace = new HashMap<>();
    private final Map<PolicyRef, PolicyDefinition> definitions = new HashMap<>();
    private final Map<ObjectRef, List<Rejection>> rejections = new HashMap<>();
    /** The ClusterNetworkPolicies in force (valid or failing closed), by name. */
    private final Map<String, ClusterPolicyDefinition> clusterPolicies = new HashMap<>();

    /** A state holding exactly these objects, as if each had been ADDED in order. */
    public static ClusterState of(Collection<? extends Resource> resources) {
        ClusterState state = new ClusterState();
        resources.forEach(resource -> state.apply(ResourceEvent.added(resource)));
        return state;
    }

    /** Applies one event and says what it changed. */
    public StateChange apply(ResourceEvent event) {
        StateChange change = new StateChange();
        Resource resource = event.resource();
        boolean delete = event.type() == EventType.DELETED;
        if (resource instanceof NamespaceInfo namespace) {
            if (delete) {
                deleteNamespace(namespace.name(), change);
            } else {
                upsertNamespace(namespace, change);
            }
        } else if (resource instanceof PodInfo pod) {
            PodInfo old = delete ? removePod(pod.key()) : putPod(pod);
            change.pod(old, delete ? null : pod);
        } else if (resource instanceof NodeInfo node) {
            if (delete) {
                nodes.remove(node.name());
            } else {
                nodes.put(node.name(), node);
            }
        } else if (resource instanceof ClusterNetworkPolicyInfo clusterPolicy) {
            if (delete) {
                deleteClusterPolicy(clusterPolicy.ref(), change);
            } else {
                upsertClusterPolicy(clusterPolicy, change);
            }
        } else if (delete) {
            deletePolicy(resource.ref(), change);
        } else {
            upsertPolicy(resource, change);
        }
        return change;
    }

    private void upsertNamespace(NamespaceInfo namespace, StateChange change) {
        NamespaceInfo old = namespaces.put(namespace.name(), namespace);
        Map<String, String> labels = namespace.effectiveLabels();
        Map<String, String> oldLabels = namespaceLabels.put(namespace.name(), labels);
        if (old == null || !labels.equals(oldLabels)) {
            change.relabeled(namespace.name());
        }
        Validation isolation = NamespaceIsolationValidator.validate(namespace);
        record(namespace.ref(), isolation.rejections(), change);
        setIsolation(namespace.name(), isolation.definition(), change);
    }

    private void deleteNamespace(String name, StateChange change) {
        new TreeSet<>(policyObjectsByNamespace.getOrDefault(name, Set.of())).forEach(ref -> deletePolicy(ref, change));
        new TreeMap<>(podsByNamespace.getOrDefault(name, Map.of())).values()
                .forEach(pod -> change.pod(removePod(pod.key()), null));
        setIsolation(name, Optional.empty(), change);
        rejections.remove(new ObjectRef(ResourceKind.NAMESPACE, "", name));
        namespaceLabels.remove(name);
        if (namespaces.remove(name) != null) {
            change.relabeled(name);
        }
    }

    private void setIsolation(String namespace, Optional<PolicyDefinition> isolation, StateChange change) {
        PolicyRef previous = isolationByNamespace.remove(namespace);
        if (previous != null && (isolation.isEmpty() || !isolation.get().ref().equals(previous))) {
            definitions.remove(previous);
            change.definition(previous, null);
        }
        isolation.ifPresent(definition -> {
            isolationByNamespace.put(namespace, definition.ref());
            if (!definition.equals(definitions.put(definition.ref(), definition))) {
                change.definition(definition.ref(), definition);
            }
        });
    }

    private void upsertPolicy(Resource policy, StateChange change) {
        Validation validation = policy instanceof NetworkPolicyInfo v1 ? PolicyValidator.validate(v1)
                : LegacyPolicyValidator.validate((LegacyPolicyInfo) policy);
        record(policy.ref(), validation.rejections(), change);
        if (!validation.valid()) {
            return;
        }
        policyObjects.put(policy.ref(), policy);
        policyObjectsByNamespace.computeIfAbsent(policy.ref().namespace(), ns -> new HashSet<>()).add(policy.ref());
        PolicyDefinition definition = validation.definition().orElseThrow();
        if (!definition.equals(definitions.put(definition.ref(), definition))) {
            change.definition(definition.ref(), definition);
        }
    }

    /**
     * Validates a ClusterNetworkPolicy. Not in force (invalid): its rejections are recorded and the
     * last version in force, if any, stays. In force: it replaces that version; a policy failing
     * closed is in force and keeps its rejections, which say how it is read.
     */
    private void upsertClusterPolicy(ClusterNetworkPolicyInfo policy, StateChange change) {
        ClusterPolicyValidation validation = ClusterPolicyValidator.validate(policy);
        record(policy.ref(), validation.rejections(), change);
        validation.definition().ifPresent(definition -> {
            ClusterPolicyDefinition before = clusterPolicies.put(definition.name(), definition);
            policyObjects.put(policy.ref(), policy);
            if (before != null && !before.ref().equals(definition.ref())) {
                change.clusterPolicy(before.ref(), null);
            }
            if (!definition.equals(before)) {
                change.clusterPolicy(definition.ref(), definition);
            }
        });
    }

    private void deleteClusterPolicy(ObjectRef ref, StateChange change) {
        rejections.remove(ref);
        policyObjects.remove(ref);
        ClusterPolicyDefinition before = clusterPolicies.remove(ref.name());
        if (before != null) {
            change.clusterPolicy(before.ref(), null);
        }
    }

    private void deletePolicy(ObjectRef ref, StateChange change) {
        rejections.remove(ref);
        if (policyObjects.remove(ref) != null) {
            Set<ObjectRef> inNamespace = policyObjectsByNamespace.get(ref.namespace());
            inNamespace.remove(ref);
            if (inNamespace.isEmpty()) {
                policyObjectsByNamespace.remove(ref.namespace());
            }
        }
        PolicyKind kind = ref.kind() == ResourceKind.NETWORK_POLICY ? PolicyKind.NetworkPolicy : PolicyKind.LegacyNetworkPolicy;
        PolicyRef policyRef = new PolicyRef(kind, ref.namespace(), ref.name());
        if (definitions.remove(policyRef) != null) {
            change.definition(policyRef, null);
        }
    }

    private void record(ObjectRef object, List<Rejection> found, StateChange change) {
        if (found.isEmpty()) {
            rejections.remove(object);
        } else {
            rejections.put(object, found);
            change.rejected(found);
        }
    }

    /** Replaces the pod in place: an update moves it only out of the label buckets whose value changed. */
    private PodInfo putPod(PodInfo pod) {
        String key = pod.key();
        PodInfo old = pods.put(key, pod);
        podsByNamespace.computeIfAbsent(pod.namespace(), ns -> new HashMap<>()).put(key, pod);
        Map<String, Map<String, PodInfo>> byLabel = podsByLabel.computeIfAbsent(pod.namespace(), ns -> new HashMap<>());
        if (old != null) {
            old.labels().forEach((label, value) -> {
                if (!Objects.equals(value, pod.labels().get(label)) || !pod.labels().containsKey(label)) {
                    removeFrom(byLabel, label + "=" + value, key);
                }
            });
        }
        pod.labels().forEach((label, value) -> byLabel.computeIfAbsent(label + "=" + value, bucket -> new HashMap<>())
                .put(key, pod));
        if (byLabel.isEmpty()) {
            podsByLabel.remove(pod.namespace());
        }
        return old;
    }

    private PodInfo removePod(String key) {
        PodInfo old = pods.remove(key);
        if (old != null) {
            removeFrom(podsByNamespace, old.namespace(), key);
            Map<String, Map<String, PodInfo>> byLabel = podsByLabel.get(old.namespace());
            if (byLabel != null) {
                old.labels().forEach((label, value) -> removeFrom(byLabel, label + "=" + value, key));
                if (byLabel.isEmpty()) {
                    podsByLabel.remove(old.namespace());
                }
            }
        }
        return old;
    }

    private static void removeFrom(Map<String, Map<String, PodInfo>> index, String bucket, String key) {
        Map<String, PodInfo> pods = index.get(bucket);
        pods.remove(key);
        if (pods.isEmpty()) {
            index.remove(bucket);
        }
    }

    /** Every pod, by {@code namespace/name}. */
    public Map<String, PodInfo> pods() {
        return Collections.unmodifiableMap(pods);
    }

    /** The pods of one namespace, by key; empty when none. */
    public Collection<PodInfo> podsIn(String namespace) {
        return Collections.unmodifiableCollection(podsByNamespace.getOrDefault(namespace, Map.of()).values());
    }

    /** The pods of one namespace carrying the label {@code key=value}; empty when none. */
    public Collection<PodInfo> podsIn(String namespace, String key, String value) {
        Map<String, Map<String, PodInfo>> byLabel = podsByLabel.get(namespace);
        Map<String, PodInfo> labelled = byLabel == null ? null : byLabel.get(key + "=" + value);
        return labelled == null ? List.of() : Collections.unmodifiableCollection(labelled.values());
    }

    /** Names of namespaces that have pods (known namespace objects or not). */
    public Collection<String> namespacesWithPods() {
        return Collections.unmodifiableSet(podsByNamespace.keySet());
    }

    public Map<String, NamespaceInfo> namespaces() {
        return Collections.unmodifiableMap(namespaces);
    }

    public Map<String, NodeInfo> nodes() {
        return Collections.unmodifiableMap(nodes);
    }

    /** The labels namespace selectors see for a namespace, including the implicit name label. */
    public Map<String, String> namespaceLabels(String namespace) {
        Map<String, String> known = namespaceLabels.get(namespace);
        return known != null ? known : Map.of(NamespaceInfo.NAME_LABEL, namespace);
    }

    /** Valid policy definitions in force, sorted by ref. */
    public SortedMap<PolicyRef, PolicyDefinition> definitions() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(definitions));
    }

    /** The last version in force of every policy object: v1, 2016 and ClusterNetworkPolicy. */
    public Collection<Resource> policyObjects() {
        return Collections.unmodifiableCollection(policyObjects.values());
    }

    /**
     * True when this exact policy object (v1, 2016 or ClusterNetworkPolicy) is the version in force:
     * it was accepted, whether valid or, for a ClusterNetworkPolicy, failing closed with rejections.
     * False for any other resource, for a refused object and for an older version.
     */
    public boolean inForce(Resource policy) {
        return policy.equals(policyObjects.get(policy.ref()));
    }

    /** Valid policy definitions in force, in no particular order (for compilers that do not need one). */
    public Collection<PolicyDefinition> definitionsInAnyOrder() {
        return Collections.unmodifiableCollection(definitions.values());
    }

    /** The ClusterNetworkPolicies in force, in precedence order ({@link ClusterPolicyDefinition#PRECEDENCE}). */
    public List<ClusterPolicyDefinition> clusterPolicies() {
        return clusterPolicies.values().stream().sorted(ClusterPolicyDefinition.PRECEDENCE).toList();
    }

    /** Current rejections of every object, sorted by object. */
    public List<Rejection> rejections() {
        List<Rejection> all = new ArrayList<>();
        new TreeMap<>(rejections).values().forEach(all::addAll);
        return all;
    }
}
