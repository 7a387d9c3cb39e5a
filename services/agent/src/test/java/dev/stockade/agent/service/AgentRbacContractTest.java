package dev.stockade.agent.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's RBAC is what its code calls (the pattern of the listener's ListenerRbacContractTest):
 * the requests the node-taint code sends to fabric8's mock API server over a whole taint-and-untaint
 * life ({@link NodeTaintTest}) are mapped to the (verb, group, resource) the API server authorizes,
 * and the ClusterRole bound to the agent's ServiceAccount in {@code k8s/base/core/agent/rbac.yaml}
 * must grant exactly those: none missing, none more. Only the agent's own Node is ever addressed
 * (RBAC cannot say so; the manifest's comment names the admission policy that can).
 */
class AgentRbacContractTest {

    private static final String RBAC = "k8s/base/core/agent/rbac.yaml";
    private static final String SERVICE_ACCOUNT = "stockade-agent";

    @TempDir
    static Path state;
    private static Set<String> used;

    @BeforeAll
    static void recordTheTaintsLife() throws Exception {
        List<MockNodes.Request> requests = NodeTaintTest.recordedLife(state);
        used = new TreeSet<>();
        for (MockNodes.Request request : requests) {
            String path = request.path().replaceFirst("\\?.*", "");
            assertTrue(path.equals("/api/v1/nodes/n1"), "only its own Node, by name: " + request);
            used.add(verb(request.method()) + " /nodes");
        }
        System.out.println("Requests of the agent's taint code, as the API server authorizes them: " + used);
    }

    @Test
    void theRecordingCoversReadAddAndRemove() {
        assertEquals(Set.of("get /nodes", "patch /nodes"), used);
    }

    @Test
    void theAgentsClusterRoleGrantsExactlyWhatItsCodeUses() throws Exception {
        Set<String> granted = new TreeSet<>();
        for (PolicyRule rule : clusterRole().getRules()) {
            assertEquals(null, rule.getResourceNames() == null || rule.getResourceNames().isEmpty() ? null : rule.getResourceNames(),
                    "no resourceNames: every agent shares the role, so they could not name its own node");
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    rule.getVerbs().forEach(verb -> granted.add(verb + " " + group + "/" + resource));
                }
            }
        }
        assertEquals(used, granted, "granted (left: used, right: granted)");
    }

    @Test
    void theRoleIsBoundToTheAgentsServiceAccountOnly() throws Exception {
        ClusterRoleBinding binding = (ClusterRoleBinding) objects().stream().filter(ClusterRoleBinding.class::isInstance)
                .findFirst().orElseThrow();
        assertEquals(clusterRole().getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(List.of(Map.of("kind", "ServiceAccount", "name", SERVICE_ACCOUNT, "namespace", "stockade")),
                binding.getSubjects().stream().map(AgentRbacContractTest::subject).toList());
    }

    private static Map<String, String> subject(Subject s) {
        return Map.of("kind", s.getKind(), "name", s.getName(), "namespace", s.getNamespace());
    }

    private static ClusterRole clusterRole() throws Exception {
        return (ClusterRole) objects().stream().filter(ClusterRole.class::isInstance).findFirst().orElseThrow();
    }

    private static List<HasMetadata> objects() throws Exception {
        KubernetesSerialization serialization = new KubernetesSerialization();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : Files.readString(repo().resolve(RBAC)).split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(line -> line.startsWith("kind:"))) {
                objects.add(serialization.unmarshal(document));
            }
        }
        return objects;
    }

    private static String verb(String method) {
        return switch (method) {
            case "GET" -> "get";
            case "PATCH" -> "patch";
            case "PUT" -> "update";
            case "POST" -> "create";
            case "DELETE" -> "delete";
            default -> method;
        };
    }

    /** The repository: {@code stockade.repo.dir} (set by the parent's surefire), else found upward. */
    private static Path repo() {
        String configured = System.getProperty("stockade.repo.dir");
        if (configured != null && Files.isRegularFile(Path.of(configured, RBAC))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(RBAC))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find " + RBAC);
    }
}
