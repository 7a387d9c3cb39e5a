package dev.stockade.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.stockade.core.model.ContainerPort;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.Rejection;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link KubeObjectConverter} converted a Pod before {@link PodReader}: bound to fabric8's
 * model, then mapped. Kept only as the reference the reader is compared with; it throws
 * NullPointerException where the old code did (no metadata, a null list element).
 */
final class Fabric8PodConversion {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Fabric8PodConversion() {
    }

    static Converted convert(JsonNode object) {
        try {
            return Converted.of(pod(MAPPER.treeToValue(object, Pod.class)));
        } catch (JsonProcessingException e) {
            return malformed(object, e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            return malformed(object, e.getMessage());
        }
    }

    private static Converted malformed(JsonNode object, String why) {
        return Converted.rejected(List.of(new Rejection(KubeObjectConverter.refOf(object), "",
                "malformed object: " + why)));
    }

    private static PodInfo pod(Pod pod) {
        String namespace = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        List<String> ips = new ArrayList<>();
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (pod.getStatus() != null && !terminated(pod.getStatus().getPhase())) {
            if (pod.getStatus().getPodIPs() != null) {
                pod.getStatus().getPodIPs().stream().map(PodIP::getIp).filter(ip -> ip != null && !ip.isEmpty())
                        .forEach(ips::add);
            }
            String primary = pod.getStatus().getPodIP();
            if (primary != null && !primary.isEmpty() && !ips.contains(primary)) {
                ips.add(0, primary);
            }
        }
        List<ContainerPort> ports = new ArrayList<>();
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            for (Container container : pod.getSpec().getContainers()) {
                if (container.getPorts() == null) {
                    continue;
                }
                container.getPorts().forEach(port -> Protocol.parse(port.getProtocol() == null ? "TCP" : port.getProtocol())
                        .filter(protocol -> port.getContainerPort() != null)
                        .ifPresent(protocol -> ports.add(new ContainerPort(port.getName(), port.getContainerPort(), protocol))));
            }
        }
        return new PodInfo(namespace, pod.getMetadata().getName(), pod.getMetadata().getLabels(), nodeName, ips, ports);
    }

    private static boolean terminated(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
