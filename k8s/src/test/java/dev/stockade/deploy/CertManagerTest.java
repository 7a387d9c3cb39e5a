package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The agent stream's identity and TLS as installed (issue 15): cert-manager issues the dispatchers'
 * certificate for every pool's Service name from the Stockade CA; dispatchers mount its key, agents
 * only its CA; agents present a projected token of audience stockade-dispatcher and mount no API token.
 */
class CertManagerTest {

    private final CrossReferences.Unit unit = new CrossReferences.Unit(CrossReferenceTest.defaultInstall());

    @Test
    void theDispatchersCertificateNamesEveryPoolsServiceAndComesFromTheStockadeCa() {
        Map<String, CertManager.Certificate> certificates = unit.of(CertManager.Certificate.class).stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
        CertManager.Certificate serving = certificates.get("stockade-dispatcher-tls");
        assertEquals("stockade-dispatcher-tls", serving.getSpec().secretName());
        assertEquals("stockade-ca", serving.getSpec().issuerRef().name());
        CertManager.Certificate ca = certificates.get("stockade-ca");
        assertTrue(ca.getSpec().isCA());
        assertTrue(unit.of(CertManager.Issuer.class).stream().anyMatch(i -> i.getMetadata().getName().equals("stockade-ca")
                && i.getSpec().ca() != null && "stockade-ca".equals(i.getSpec().ca().secretName())));
        for (ConfigMap pool : unit.of(ConfigMap.class)) {
            String address = pool.getData() == null ? null : pool.getData().get("STOCKADE_DISPATCHER_ADDRESS");
            if (address != null) {
                String host = address.split(":")[0];
                assertTrue(serving.getSpec().dnsNames().stream().anyMatch(name -> matches(name, host)),
                        host + " is not named by " + serving.getSpec().dnsNames());
            }
        }
    }

    @Test
    void dispatchersMountTheKeyAndAgentsOnlyTheCaAndAProjectedTokenForTheDispatchers() {
        for (Deployment d : unit.of(Deployment.class)) {
            if (d.getMetadata().getName().startsWith("stockade-dispatcher")) {
                assertTrue(secretItems(d.getSpec().getTemplate().getSpec().getVolumes()).containsAll(List.of("tls.crt", "tls.key")),
                        d.getMetadata().getName());
            }
        }
        List<DaemonSet> agents = unit.of(DaemonSet.class);
        assertTrue(!agents.isEmpty());
        for (DaemonSet agent : agents) {
            List<Volume> volumes = agent.getSpec().getTemplate().getSpec().getVolumes();
            assertEquals(List.of("ca.crt"), secretItems(volumes), agent.getMetadata().getName());
            var token = volumes.stream().filter(v -> v.getProjected() != null).flatMap(v -> v.getProjected().getSources().stream())
                    .filter(s -> s.getServiceAccountToken() != null).map(s -> s.getServiceAccountToken()).toList();
            assertEquals(1, token.size(), agent.getMetadata().getName());
            assertEquals("stockade-dispatcher", token.get(0).getAudience());
            assertTrue(token.get(0).getExpirationSeconds() >= 600 && token.get(0).getExpirationSeconds() <= 3600);
            // The default (API-audience) token is mounted for the node taint only (issue 13: get + patch on nodes,
            // RbacBaselineTest); the stream never uses it.
            assertEquals(Boolean.TRUE, agent.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken());
            assertEquals("stockade-agent", agent.getSpec().getTemplate().getSpec().getServiceAccountName(),
                    "the ServiceAccount the dispatchers accept");
        }
    }

    private static List<String> secretItems(List<Volume> volumes) {
        return volumes.stream().filter(v -> v.getSecret() != null && "stockade-dispatcher-tls".equals(v.getSecret().getSecretName()))
                .flatMap(v -> v.getSecret().getItems().stream()).map(item -> item.getKey()).toList();
    }

    private static boolean matches(String pattern, String host) {
        return pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) && host.indexOf('.') == host.length()
                - pattern.length() + 1 : pattern.equals(host);
    }
}
