package dev.stockade.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Deployments and DaemonSets seen through what the checks need: a pod template and a selector. */
final class Workloads {
    private Workloads() {
    }

    /** Objects without a namespace land in this one (every kustomization sets it). */
    static final String DEFAULT_NAMESPACE = "stockade";

    record Workload(String kind, String namespace, String name, LabelSelector selector, PodTemplateSpec template) {
        String id() {
            return kind + " " + namespace + "/" + name;
        }

        Map<String, String> podLabels() {
            Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
            return labels == null ? Map.of() : labels;
        }

        List<Container> containers() {
            List<Container> all = new ArrayList<>(Manifests.nullSafe(template.getSpec().getInitContainers()));
            all.addAll(Manifests.nullSafe(template.getSpec().getContainers()));
            return all;
        }
    }

    static List<Workload> of(List<Manifests.Parsed> objects) {
        List<Workload> out = new ArrayList<>();
        for (Manifests.Parsed p : objects) {
            if (p.model() instanceof Deployment d) {
                out.add(new Workload("Deployment", namespace(d), d.getMetadata().getName(), d.getSpec().getSelector(),
                        d.getSpec().getTemplate()));
            } else if (p.model() instanceof DaemonSet d) {
                out.add(new Workload("DaemonSet", namespace(d), d.getMetadata().getName(), d.getSpec().getSelector(),
                        d.getSpec().getTemplate()));
            }
        }
        return out;
    }

    static String namespace(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ns == null ? DEFAULT_NAMESPACE : ns;
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty()
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> ml = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        List<LabelSelectorRequirement> exprs = Manifests.nullSafe(selector.getMatchExpressions());
        if (ml.isEmpty() && exprs.isEmpty()) {
            return false;
        }
        boolean labelsOk = ml.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        return labelsOk && exprs.stream().allMatch(r -> matches(r, labels));
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String v = labels.get(r.getKey());
        List<String> values = Manifests.nullSafe(r.getValues());
        return switch (r.getOperator()) {
            case "In" -> v != null && values.contains(v);
            case "NotIn" -> v == null || !values.contains(v);
            case "Exists" -> v != null;
            case "DoesNotExist" -> v == null;
            default -> throw new IllegalArgumentException("unknown selector operator " + r.getOperator());
        };
    }

    /** A port reference (number or name) resolved against a container's declared ports. */
    static Optional<ContainerPort> port(Container c, IntOrString ref) {
        return Manifests.nullSafe(c.getPorts()).stream()
                .filter(p -> ref.getIntVal() != null ? Objects.equals(p.getContainerPort(), ref.getIntVal())
                        : Objects.equals(p.getName(), ref.getStrVal()))
                .findFirst();
    }

    /** The value an environment variable gets from a literal or a ConfigMap (env or envFrom); empty if from elsewhere. */
    static Optional<String> envValue(Container c, String name, String namespace, Map<String, ConfigMap> configMaps) {
        for (EnvVar e : Manifests.nullSafe(c.getEnv())) {
            if (!e.getName().equals(name)) {
                continue;
            }
            if (e.getValue() != null) {
                return Optional.of(e.getValue());
            }
            if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = e.getValueFrom().getConfigMapKeyRef();
                ConfigMap cm = configMaps.get(namespace + "/" + ref.getName());
                return cm == null || cm.getData() == null ? Optional.empty()
                        : Optional.ofNullable(cm.getData().get(ref.getKey()));
            }
            return Optional.empty();
        }
        for (EnvFromSource from : Manifests.nullSafe(c.getEnvFrom())) {
            if (from.getConfigMapRef() != null) {
                ConfigMap cm = configMaps.get(namespace + "/" + from.getConfigMapRef().getName());
                if (cm != null && cm.getData() != null && cm.getData().containsKey(name)) {
                    return Optional.of(cm.getData().get(name));
                }
            }
        }
        return Optional.empty();
    }
}
