package dev.stockade.listener.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the manifests under {@code k8s/} grant the listener, install by install: the
 * kustomizations no other kustomization includes ({@code k8s/}, {@code k8s/overlays/dev}, ...)
 * that contain the listener's Deployment, their resources followed through every base, as
 * {@code kubectl apply -k} would send them. The listener's identity is read from its
 * Deployment (serviceAccountName, namespace, the Lease name in its environment), and its grants
 * are the rules of every ClusterRole and Role bound to that ServiceAccount (directly, or through
 * the groups every ServiceAccount belongs to), expanded to {@link Permission}s.
 *
 * <p>Without a kustomize binary: what kustomize would change in RBAC (a patch on an RBAC object,
 * the ServiceAccount or the Deployment's identity, a name prefix or suffix, a namespace rewrite
 * of a binding's subjects, components, replacements, aggregated ClusterRoles) is refused as
 * "not modelled" rather than guessed at; {@code KustomizeRenderTest} in {@code k8s/} renders the
 * installs with kustomize itself.
 */
public final class InstalledRbac {

    /** The listener's Deployment (the Quarkus application name, {@code quarkus.application.name}). */
    public static final String LISTENER_DEPLOYMENT = "stockade-listener";

    /** ListenerConfig's default for {@code stockade.leader-election.lease-name}. */
    static final String DEFAULT_LEASE_NAME = "stockade-listener-leader";

    private static final Set<String> RBAC_KINDS = Set.of("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
    private static final Set<String> CLUSTER_SCOPED_KINDS = Set.of("ClusterRole", "ClusterRoleBinding", "Namespace",
            "CustomResourceDefinition", "Node");
    /** Kustomization fields this reader follows or that cannot change RBAC; any other is refused. */
    private static final Set<String> MODELLED_FIELDS = Set.of("apiVersion", "kind", "metadata", "namespace",
            "resources", "patches", "labels", "commonLabels", "commonAnnotations", "images", "replicas",
            "configMapGenerator", "secretGenerator", "generatorOptions", "buildMetadata");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * One install that runs the listener.
     *
     * @param kustomization  its directory, relative to k8s/ ({@code .} for k8s/ itself)
     * @param namespace      the listener's namespace
     * @param serviceAccount the listener's ServiceAccount
     * @param leaseName      the Lease its replicas elect a leader on (in {@code namespace})
     * @param grants         every permission bound to the ServiceAccount
     */
    public record Install(String kustomization, String namespace, String serviceAccount, String leaseName,
                          Set<Permission> grants) {
    }

    /** A manifest document and the kustomizations that include it, innermost first. */
    private record Loaded(JsonNode object, Path file, List<Kustomization> chain) {
        String kind() {
            return object.path("kind").asText();
        }

        String name() {
            return object.path("metadata").path("name").asText();
        }

        /** Kustomize's namespace transformer: the outermost kustomization's namespace wins over what is written. */
        String namespace() {
            if (CLUSTER_SCOPED_KINDS.contains(kind())) {
                return null;
            }
            for (int i = chain.size() - 1; i >= 0; i--) {
                if (chain.get(i).namespace() != null) {
                    return chain.get(i).namespace();
                }
            }
            String written = object.path("metadata").path("namespace").asText("");
            return written.isEmpty() ? "default" : written;
        }
    }

    private record Kustomization(Path dir, JsonNode tree) {
        String namespace() {
            String ns = tree.path("namespace").asText("");
            return ns.isEmpty() ? null : ns;
        }
    }

    private InstalledRbac() {
    }

    /** Every install under {@code k8s} that contains the listener's Deployment. */
    public static List<Install> installs(Path k8s) {
        List<Install> installs = new ArrayList<>();
        for (Path root : roots(k8s)) {
            List<Loaded> objects = new ArrayList<>();
            collect(root, List.of(), objects);
            List<Loaded> deployments = objects.stream()
                    .filter(o -> o.kind().equals("Deployment") && o.name().equals(LISTENER_DEPLOYMENT)).toList();
            if (deployments.isEmpty()) {
                continue;
            }
            if (deployments.size() > 1) {
                throw new IllegalStateException(root + ": " + deployments.size() + " Deployments " + LISTENER_DEPLOYMENT);
            }
            String where = k8s.relativize(root).toString();
            installs.add(install(where.isEmpty() ? "." : where, deployments.get(0), objects));
        }
        return installs;
    }

    /** Kustomization directories that no other kustomization includes. */
    private static List<Path> roots(Path k8s) {
        List<Path> all;
        try (Stream<Path> files = Files.walk(k8s)) {
            all = files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .filter(p -> !k8s.relativize(p).startsWith("src") && !k8s.relativize(p).startsWith("target"))
                    .map(p -> p.getParent().toAbsolutePath().normalize()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<Path> included = new LinkedHashSet<>();
        for (Path dir : all) {
            for (JsonNode r : kustomization(dir).tree().path("resources")) {
                included.add(dir.resolve(r.asText()).normalize());
            }
        }
        return all.stream().filter(dir -> !included.contains(dir)).toList();
    }

    private static Kustomization kustomization(Path dir) {
        List<JsonNode> docs = documents(dir.resolve("kustomization.yaml"));
        return new Kustomization(dir, docs.get(0));
    }

    private static void collect(Path dir, List<Kustomization> outer, List<Loaded> out) {
        Kustomization k = kustomization(dir);
        List<Kustomization> chain = new ArrayList<>();
        chain.add(k);
        chain.addAll(outer);
        for (JsonNode r : k.tree().path("resources")) {
            String entry = r.asText();
            if (entry.contains("://") || entry.startsWith("github.com/")) {
                throw notModelled(dir, "remote resource " + entry);
            }
            Path p = dir.resolve(entry).normalize();
            if (Files.isDirectory(p)) {
                collect(p, chain, out);
            } else {
                documents(p).forEach(doc -> out.add(new Loaded(doc, p, List.copyOf(chain))));
            }
        }
    }

    private static Install install(String where, Loaded deployment, List<Loaded> objects) {
        checkModelled(deployment);
        String namespace = deployment.namespace();
        JsonNode pod = deployment.object().path("spec").path("template").path("spec");
        String serviceAccount = pod.path("serviceAccountName").asText("default");
        objects.stream().filter(o -> RBAC_KINDS.contains(o.kind())
                || o.kind().equals("ServiceAccount") && o.name().equals(serviceAccount))
                .forEach(InstalledRbac::checkModelled);
        Map<String, JsonNode> env = new LinkedHashMap<>();
        for (JsonNode container : pod.path("containers")) {
            container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        }
        String leaseName = env.containsKey("STOCKADE_LEADER_ELECTION_LEASE_NAME")
                ? env.get("STOCKADE_LEADER_ELECTION_LEASE_NAME").path("value").asText() : DEFAULT_LEASE_NAME;
        String leaseNamespace = leaseNamespace(env, namespace);
        if (!leaseNamespace.equals(namespace)) {
            throw new IllegalStateException(where + ": the listener's Lease is in " + leaseNamespace
                    + ", not in its own namespace " + namespace + " (not modelled)");
        }
        return new Install(where, namespace, serviceAccount, leaseName,
                grants(objects, namespace, serviceAccount));
    }

    /** ListenerConfig: {@code lease-namespace} defaults to {@code ${POD_NAMESPACE:stockade}}. */
    private static String leaseNamespace(Map<String, JsonNode> env, String podNamespace) {
        JsonNode explicit = env.get("STOCKADE_LEADER_ELECTION_LEASE_NAMESPACE");
        JsonNode pod = explicit != null ? explicit : env.get("POD_NAMESPACE");
        if (pod == null) {
            return "stockade";
        }
        if (pod.has("value")) {
            return pod.path("value").asText();
        }
        if (pod.path("valueFrom").path("fieldRef").path("fieldPath").asText().equals("metadata.namespace")) {
            return podNamespace;
        }
        throw new IllegalStateException("the listener's namespace comes from " + pod + " (not modelled)");
    }

    /** Refuses what kustomize would change in an identity object that this reader does not reproduce. */
    private static void checkModelled(Loaded o) {
        for (Kustomization k : o.chain()) {
            k.tree().fieldNames().forEachRemaining(field -> {
                if (!MODELLED_FIELDS.contains(field)) {
                    throw notModelled(k.dir(), "field " + field + " above " + o.file());
                }
            });
            for (JsonNode patch : k.tree().path("patches")) {
                if (patchMayTouch(k.dir(), patch, o)) {
                    throw notModelled(k.dir(), "a patch that may change " + o.kind() + " " + o.name() + ": " + patch);
                }
            }
            if (k.namespace() != null && RBAC_KINDS.contains(o.kind())) {
                for (JsonNode s : o.object().path("subjects")) {
                    if (s.path("kind").asText().equals("ServiceAccount")
                            && !s.path("namespace").asText().equals(k.namespace())) {
                        throw notModelled(k.dir(), "namespace " + k.namespace() + " over a subject in "
                                + s.path("namespace").asText() + " (" + o.kind() + " " + o.name() + ")");
                    }
                }
            }
        }
    }

    /** A patch that targets the object's kind (or any kind) and, for the Deployment, mentions its identity. */
    private static boolean patchMayTouch(Path dir, JsonNode patch, Loaded o) {
        String text;
        if (patch.has("path")) {
            try {
                text = Files.readString(dir.resolve(patch.path("path").asText()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            text = patch.path("patch").asText();
        }
        Set<String> kinds = new TreeSet<>();
        if (patch.path("target").has("kind")) {
            kinds.add(patch.path("target").path("kind").asText());
        } else if (!patch.has("target")) {
            documents(text).forEach(d -> kinds.add(d.path("kind").asText()));
        }
        boolean kindMatches = kinds.isEmpty() || kinds.contains(o.kind()) || kinds.contains("");
        if (!kindMatches) {
            return false;
        }
        if (o.kind().equals("Deployment")) {
            return text.contains("serviceAccount") || text.contains("env") || text.contains("namespace");
        }
        return true;
    }

    private static IllegalStateException notModelled(Path where, String what) {
        return new IllegalStateException(where + ": " + what + " is not modelled by InstalledRbac;"
                + " model it or keep RBAC out of kustomize transformations");
    }

    /** Every permission bound to {@code namespace/serviceAccount}. */
    private static Set<Permission> grants(List<Loaded> objects, String namespace, String serviceAccount) {
        Set<Permission> grants = new LinkedHashSet<>();
        for (Loaded binding : objects) {
            boolean cluster = binding.kind().equals("ClusterRoleBinding");
            if (!(cluster || binding.kind().equals("RoleBinding"))
                    || !binds(binding.object().path("subjects"), namespace, serviceAccount)) {
                continue;
            }
            String scope = cluster ? null : binding.namespace();
            JsonNode ref = binding.object().path("roleRef");
            String refKind = ref.path("kind").asText();
            List<Loaded> roles = objects.stream().filter(o -> o.kind().equals(refKind)
                    && o.name().equals(ref.path("name").asText())
                    && (refKind.equals("ClusterRole") || o.namespace().equals(binding.namespace()))).toList();
            if (roles.size() != 1) {
                throw new IllegalStateException(binding.kind() + " " + binding.name() + " refers to " + refKind + " "
                        + ref.path("name").asText() + ", found " + roles.size());
            }
            JsonNode role = roles.get(0).object();
            if (role.has("aggregationRule")) {
                throw notModelled(roles.get(0).file(), "aggregated ClusterRole " + roles.get(0).name());
            }
            role.path("rules").forEach(rule -> expand(rule, scope, grants));
        }
        return grants;
    }

    /** The ServiceAccount itself, or a group every ServiceAccount of the namespace belongs to. */
    private static boolean binds(JsonNode subjects, String namespace, String serviceAccount) {
        for (JsonNode s : subjects) {
            String kind = s.path("kind").asText();
            String name = s.path("name").asText();
            if (kind.equals("ServiceAccount") && name.equals(serviceAccount)
                    && s.path("namespace").asText().equals(namespace)
                    || kind.equals("User") && name.equals("system:serviceaccount:" + namespace + ":" + serviceAccount)
                    || kind.equals("Group") && Set.of("system:serviceaccounts", "system:serviceaccounts:" + namespace,
                            "system:authenticated").contains(name)) {
                return true;
            }
        }
        return false;
    }

    private static void expand(JsonNode rule, String namespace, Set<Permission> out) {
        List<String> names = strings(rule.path("resourceNames"));
        for (String verb : strings(rule.path("verbs"))) {
            for (String url : strings(rule.path("nonResourceURLs"))) {
                out.add(Permission.nonResource(verb, url));
            }
            for (String group : strings(rule.path("apiGroups"))) {
                for (String resource : strings(rule.path("resources"))) {
                    if (names.isEmpty()) {
                        out.add(new Permission(verb, group, resource, namespace, null));
                    }
                    names.forEach(n -> out.add(new Permission(verb, group, resource, namespace, n)));
                }
            }
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static List<JsonNode> documents(Path file) {
        try {
            return documents(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<JsonNode> documents(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (doc.path("kind").asText().equals("List")) {
                    doc.path("items").forEach(docs::add);
                } else if (doc instanceof ObjectNode) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }
}
