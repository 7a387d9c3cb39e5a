package dev.stockade.deploy;

import dev.stockade.deploy.Workloads.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that the objects of one deployable unit point at each other correctly: ServiceAccounts,
 * ConfigMap and Secret keys, volumes, Service selectors and ports, probes, PDB selectors, RBAC
 * bindings. Kafka-specific references are in {@link KafkaReferences}; returns problems, never throws.
 */
final class CrossReferences {
    private CrossReferences() {
    }

    /**
     * Secrets no manifest creates but an operator must, before the apply (README, "Deploy on a
     * cluster"), with their keys. Secrets written by Strimzi are derived from the Kafka CRs.
     */
    static final Map<String, Set<String>> OPERATOR_PROVIDED_SECRETS = Map.of(
            // cert-manager writes it for the Certificate of base/core/dispatcher/tls.yaml (CertManagerTest).
            Workloads.DEFAULT_NAMESPACE + "/stockade-dispatcher-tls", Set.of("tls.crt", "tls.key", "ca.crt"));

    static List<String> check(List<Manifests.Parsed> objects) {
        Unit u = new Unit(objects);
        List<String> problems = new ArrayList<>();
        for (Workload w : u.workloads) {
            checkWorkload(u, w, problems);
        }
        u.of(Service.class).forEach(s -> checkService(u, s, problems));
        u.of(PodDisruptionBudget.class).forEach(p -> {
            if (u.selected(Workloads.namespace(p), p.getSpec().getSelector()).isEmpty()) {
                problems.add("PodDisruptionBudget " + p.getMetadata().getName() + " selects no pod template");
            }
        });
        u.of(RoleBinding.class).forEach(b -> checkBinding(u, "RoleBinding " + b.getMetadata().getName(),
                Workloads.namespace(b), b.getRoleRef(), b.getSubjects(), problems));
        u.of(ClusterRoleBinding.class).forEach(b -> checkBinding(u, "ClusterRoleBinding " + b.getMetadata().getName(),
                null, b.getRoleRef(), b.getSubjects(), problems));
        problems.addAll(KafkaReferences.check(u));
        return problems;
    }

    /** The objects of one unit, indexed. */
    static final class Unit {
        final List<Manifests.Parsed> objects;
        final List<Workload> workloads;
        final Map<String, ConfigMap> configMaps = new HashMap<>();
        final Map<String, Set<String>> secretKeys = new HashMap<>(OPERATOR_PROVIDED_SECRETS);

        Unit(List<Manifests.Parsed> objects) {
            this.objects = objects;
            this.workloads = Workloads.of(objects);
            of(ConfigMap.class).forEach(c -> configMaps.put(key(c), c));
            of(Secret.class).forEach(s -> {
                Set<String> keys = new java.util.HashSet<>();
                if (s.getData() != null) {
                    keys.addAll(s.getData().keySet());
                }
                if (s.getStringData() != null) {
                    keys.addAll(s.getStringData().keySet());
                }
                secretKeys.put(key(s), keys);
            });
            secretKeys.putAll(KafkaReferences.strimziSecrets(this));
        }

        <T> List<T> of(Class<T> type) {
            return objects.stream().map(Manifests.Parsed::model).filter(type::isInstance).map(type::cast).toList();
        }

        boolean exists(Class<? extends HasMetadata> type, String namespace, String name) {
            return of(type).stream().anyMatch(o -> o.getMetadata().getName().equals(name)
                    && (namespace == null || Workloads.namespace(o).equals(namespace)));
        }

        List<Workload> selected(String namespace, io.fabric8.kubernetes.api.model.LabelSelector selector) {
            return workloads.stream().filter(w -> w.namespace().equals(namespace))
                    .filter(w -> Workloads.matches(selector, w.podLabels())).toList();
        }

        List<Workload> selected(String namespace, Map<String, String> selector) {
            return workloads.stream().filter(w -> w.namespace().equals(namespace))
                    .filter(w -> Workloads.matches(selector, w.podLabels())).toList();
        }

        static String key(HasMetadata o) {
            return Workloads.namespace(o) + "/" + o.getMetadata().getName();
        }
    }

    private static void checkWorkload(Unit u, Workload w, List<String> problems) {
        var spec = w.template().getSpec();
        String sa = spec.getServiceAccountName() == null ? "default" : spec.getServiceAccountName();
        if (!u.exists(ServiceAccount.class, w.namespace(), sa)) {
            problems.add(w.id() + ": serviceAccountName " + sa + " is not a ServiceAccount of the unit");
        }
        if (!Workloads.matches(w.selector(), w.podLabels())) {
            problems.add(w.id() + ": spec.selector does not match its own pod template labels");
        }
        Set<String> volumes = new java.util.HashSet<>();
        for (Volume v : Manifests.nullSafe(spec.getVolumes())) {
            volumes.add(v.getName());
            if (v.getConfigMap() != null) {
                checkKeys(u.configMaps.containsKey(w.namespace() + "/" + v.getConfigMap().getName())
                        ? keysOf(u.configMaps.get(w.namespace() + "/" + v.getConfigMap().getName())) : null,
                        "ConfigMap " + v.getConfigMap().getName(), v.getConfigMap().getItems(),
                        Boolean.TRUE.equals(v.getConfigMap().getOptional()), w.id() + " volume " + v.getName(), problems);
            }
            if (v.getSecret() != null) {
                checkKeys(u.secretKeys.get(w.namespace() + "/" + v.getSecret().getSecretName()),
                        "Secret " + v.getSecret().getSecretName(), v.getSecret().getItems(),
                        Boolean.TRUE.equals(v.getSecret().getOptional()), w.id() + " volume " + v.getName(), problems);
            }
        }
        for (Container c : w.containers()) {
            String where = w.id() + " container " + c.getName();
            for (VolumeMount m : Manifests.nullSafe(c.getVolumeMounts())) {
                if (!volumes.contains(m.getName())) {
                    problems.add(where + ": volumeMount " + m.getName() + " names no volume");
                }
            }
            checkProbe(c, c.getStartupProbe(), "startupProbe", where, problems);
            checkProbe(c, c.getReadinessProbe(), "readinessProbe", where, problems);
            checkProbe(c, c.getLivenessProbe(), "livenessProbe", where, problems);
            checkEnv(u, w.namespace(), c, where, problems);
        }
    }

    private static Set<String> keysOf(ConfigMap cm) {
        Set<String> keys = new java.util.HashSet<>();
        if (cm.getData() != null) {
            keys.addAll(cm.getData().keySet());
        }
        if (cm.getBinaryData() != null) {
            keys.addAll(cm.getBinaryData().keySet());
        }
        return keys;
    }

    private static void checkKeys(Set<String> keys, String what, List<KeyToPath> items, boolean optional,
            String where, List<String> problems) {
        if (keys == null) {
            if (!optional) {
                problems.add(where + ": " + what + " does not exist in the unit");
            }
            return;
        }
        for (KeyToPath item : Manifests.nullSafe(items)) {
            if (!keys.contains(item.getKey())) {
                problems.add(where + ": " + what + " has no key " + item.getKey());
            }
        }
    }

    private static void checkProbe(Container c, Probe probe, String which, String where, List<String> problems) {
        if (probe == null) {
            return;
        }
        var port = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort()
                : probe.getGrpc() != null ? new io.fabric8.kubernetes.api.model.IntOrString(probe.getGrpc().getPort())
                : null;
        if (port != null && Workloads.port(c, port).isEmpty()) {
            problems.add(where + ": " + which + " port " + port.getValue() + " is not a port of the container");
        }
    }

    private static void checkEnv(Unit u, String ns, Container c, String where, List<String> problems) {
        for (EnvFromSource from : Manifests.nullSafe(c.getEnvFrom())) {
            if (from.getConfigMapRef() != null && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())
                    && !u.configMaps.containsKey(ns + "/" + from.getConfigMapRef().getName())) {
                problems.add(where + ": envFrom ConfigMap " + from.getConfigMapRef().getName() + " does not exist");
            }
            if (from.getSecretRef() != null && !Boolean.TRUE.equals(from.getSecretRef().getOptional())
                    && !u.secretKeys.containsKey(ns + "/" + from.getSecretRef().getName())) {
                problems.add(where + ": envFrom Secret " + from.getSecretRef().getName() + " does not exist");
            }
        }
        for (EnvVar e : Manifests.nullSafe(c.getEnv())) {
            if (e.getValueFrom() == null) {
                continue;
            }
            var cmRef = e.getValueFrom().getConfigMapKeyRef();
            if (cmRef != null && !Boolean.TRUE.equals(cmRef.getOptional())) {
                ConfigMap cm = u.configMaps.get(ns + "/" + cmRef.getName());
                if (cm == null || !keysOf(cm).contains(cmRef.getKey())) {
                    problems.add(where + ": env " + e.getName() + " wants key " + cmRef.getKey() + " of ConfigMap "
                            + cmRef.getName() + ", which " + (cm == null ? "does not exist" : "has no such key"));
                }
            }
            var sRef = e.getValueFrom().getSecretKeyRef();
            if (sRef != null && !Boolean.TRUE.equals(sRef.getOptional())) {
                Set<String> keys = u.secretKeys.get(ns + "/" + sRef.getName());
                if (keys == null || !keys.contains(sRef.getKey())) {
                    problems.add(where + ": env " + e.getName() + " wants key " + sRef.getKey() + " of Secret "
                            + sRef.getName() + ", which " + (keys == null ? "nothing creates" : "has no such key"));
                }
            }
        }
    }

    private static void checkService(Unit u, Service s, List<String> problems) {
        String where = "Service " + s.getMetadata().getName();
        List<Workload> targets = u.selected(Workloads.namespace(s), s.getSpec().getSelector());
        if (targets.isEmpty()) {
            problems.add(where + ": selector " + s.getSpec().getSelector() + " matches no pod template");
            return;
        }
        for (ServicePort port : Manifests.nullSafe(s.getSpec().getPorts())) {
            var target = port.getTargetPort() != null ? port.getTargetPort()
                    : new io.fabric8.kubernetes.api.model.IntOrString(port.getPort());
            for (Workload w : targets) {
                boolean found = w.containers().stream().anyMatch(c -> Workloads.port(c, target).isPresent());
                if (!found) {
                    problems.add(where + ": targetPort " + target.getValue() + " is not a container port of " + w.id());
                }
            }
        }
    }

    private static void checkBinding(Unit u, String where, String ns, RoleRef ref, List<Subject> subjects,
            List<String> problems) {
        boolean roleExists = "ClusterRole".equals(ref.getKind()) ? u.exists(ClusterRole.class, null, ref.getName())
                : u.exists(Role.class, ns, ref.getName());
        if (!roleExists) {
            problems.add(where + ": roleRef " + ref.getKind() + " " + ref.getName() + " does not exist");
        }
        for (Subject s : Manifests.nullSafe(subjects)) {
            String sNs = s.getNamespace() == null ? ns : s.getNamespace();
            if ("ServiceAccount".equals(s.getKind()) && !u.exists(ServiceAccount.class, sNs, s.getName())) {
                problems.add(where + ": subject ServiceAccount " + sNs + "/" + s.getName() + " does not exist");
            }
        }
    }
}
