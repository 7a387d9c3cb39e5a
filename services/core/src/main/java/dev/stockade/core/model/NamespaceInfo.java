package dev.stockade.core.model;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Collections;

/**
 * A Namespace: its name, labels and annotations (null means none).
 *
 * <p>The annotations matter for the 2016 API: {@value #ALPHA_ISOLATION} ({@code on|off},
 * case-insensitive, default off) and {@value #BETA_POLICY}
 * ({@code {"ingress":{"isolation":"DefaultDeny"}}}).
 */
public record NamespaceInfo(String name, Map<String, String> labels, Map<String, String> annotations)
        implements Resource {

    /** Kubernetes sets this label on every namespace to the namespace's name. */
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";
    /** The 2016 alpha namespace isolation annotation. */
    public static final String ALPHA_ISOLATION = "net.alpha.kubernetes.io/network-isolation";
    /** The Kubernetes 1.3 beta namespace isolation annotation. */
    public static final String BETA_POLICY = "net.beta.kubernetes.io/network-policy";

    public NamespaceInfo {
        labels = Labels.copyOf(labels);
        annotations = Labels.copyOf(annotations);
    }

    @Override
    public ObjectRef ref() {
        return new ObjectRef(ResourceKind.NAMESPACE, "", name);
    }

    /**
     * The labels selectors see: the object's labels plus the implicit
     * {@code kubernetes.io/metadata.name=<name>} ("the control plane sets an immutable label on all
     * namespaces", Kubernetes docs).
     */
    public SortedMap<String, String> effectiveLabels() {
        if (name.equals(labels.get(NAME_LABEL))) {
            return (SortedMap<String, String>) labels;
        }
        TreeMap<String, String> withName = new TreeMap<>(labels);
        withName.put(NAME_LABEL, name);
        return Collections.unmodifiableSortedMap(withName);
    }
}
