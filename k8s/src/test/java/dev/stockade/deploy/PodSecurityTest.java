package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.deploy.Workloads.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Stockade pod: non-root, read-only root filesystem, all capabilities dropped, seccomp
 * RuntimeDefault, no privilege escalation, requests and limits, Quarkus health probes, the image
 * naming convention. The agent is the one exception: root on the host network with NET_ADMIN only.
 */
class PodSecurityTest {

    static final String AGENT = "stockade-agent";
    static final Set<String> SERVICES = Set.of("listener", "compiler", "dispatcher", "agent");

    @TestFactory
    List<DynamicTest> everyWorkloadMeetsTheSecurityBaseline() {
        return Workloads.of(CrossReferenceTest.defaultInstall()).stream()
                .map(w -> DynamicTest.dynamicTest(w.id(), () -> check(w))).toList();
    }

    private static void check(Workload w) {
        boolean agent = w.name().startsWith(AGENT);
        var spec = w.template().getSpec();
        assertEquals(agent, Boolean.TRUE.equals(spec.getHostNetwork()), "hostNetwork only for the agent");
        if (agent) {
            assertEquals("ClusterFirstWithHostNet", spec.getDnsPolicy(), "a host-network pod needs this to resolve Services");
        } else {
            assertEquals(Boolean.TRUE, spec.getSecurityContext().getRunAsNonRoot());
            assertEquals("RuntimeDefault", spec.getSecurityContext().getSeccompProfile().getType());
        }
        assertTrue(spec.getHostPID() == null || !spec.getHostPID());
        assertTrue(spec.getHostIPC() == null || !spec.getHostIPC());
        for (Container c : w.containers()) {
            String where = w.id() + " container " + c.getName();
            SecurityContext sc = c.getSecurityContext();
            assertNotNull(sc, where);
            assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where);
            assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where);
            assertTrue(sc.getPrivileged() == null || !sc.getPrivileged(), where);
            assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), where);
            assertEquals("RuntimeDefault", sc.getSeccompProfile().getType(), where);
            if (agent) {
                assertEquals(List.of("NET_ADMIN"), sc.getCapabilities().getAdd(), where);
                assertEquals(0L, sc.getRunAsUser(), where + ": nft needs root in the host network namespace");
            } else {
                assertEquals(List.of(), Manifests.nullSafe(sc.getCapabilities().getAdd()), where);
                assertEquals(Boolean.TRUE, sc.getRunAsNonRoot(), where);
            }
            for (String r : List.of("cpu", "memory")) {
                assertNotNull(c.getResources().getRequests().get(r), where + " requests " + r);
                assertNotNull(c.getResources().getLimits().get(r), where + " limits " + r);
            }
            assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), where);
            assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), where);
            String component = w.podLabels().get("app.kubernetes.io/component");
            assertTrue(SERVICES.contains(component), where + ": app.kubernetes.io/component " + component);
            assertTrue(c.getImage().matches("ghcr\\.io/stockade/stockade-" + component + ":0\\.1\\.0"),
                    where + ": image " + c.getImage());
            assertTrue(c.getPorts().stream().anyMatch(p -> "http".equals(p.getName())), where + ": a port named http");
        }
    }
}
