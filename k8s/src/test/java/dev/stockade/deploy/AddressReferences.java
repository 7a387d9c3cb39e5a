package dev.stockade.deploy;

import dev.stockade.deploy.CrossReferences.Unit;
import dev.stockade.deploy.Workloads.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Addresses carried in environment variables: JGROUPS_DNS_QUERY must name a headless Service
 * that publishes not-ready pods and selects the workload's own pods (its cluster, nobody else's),
 * and an agent's STOCKADE_DISPATCHER_ADDRESS must name a Service port of its own pool's dispatcher.
 */
final class AddressReferences {
    private AddressReferences() {
    }

    static final String POOL_LABEL = "stockade.dev/pool";

    static List<String> check(List<Manifests.Parsed> objects) {
        Unit u = new Unit(objects);
        List<String> problems = new ArrayList<>();
        for (Workload w : u.workloads) {
            for (Container c : w.containers()) {
                String where = w.id() + " container " + c.getName();
                Workloads.envValue(c, "JGROUPS_DNS_QUERY", w.namespace(), u.configMaps)
                        .ifPresent(q -> checkJgroups(u, w, q, where, problems));
                Workloads.envValue(c, "STOCKADE_DISPATCHER_ADDRESS", w.namespace(), u.configMaps)
                        .ifPresent(a -> checkDispatcher(u, w, a, where, problems));
            }
        }
        return problems;
    }

    private static void checkJgroups(Unit u, Workload w, String query, String where, List<String> problems) {
        String[] parts = query.split("\\.");
        if (parts.length < 5 || !query.endsWith(".svc.cluster.local")) {
            problems.add(where + ": JGROUPS_DNS_QUERY " + query + " is not <service>.<namespace>.svc.cluster.local");
            return;
        }
        Optional<Service> svc = service(u, parts[1], parts[0]);
        if (svc.isEmpty()) {
            problems.add(where + ": JGROUPS_DNS_QUERY names Service " + parts[0] + ", which does not exist");
            return;
        }
        var spec = svc.get().getSpec();
        if (!"None".equals(spec.getClusterIP()) || !Boolean.TRUE.equals(spec.getPublishNotReadyAddresses())) {
            problems.add(where + ": Service " + parts[0] + " must be headless with publishNotReadyAddresses: true");
        }
        List<Workload> members = u.selected(parts[1], spec.getSelector());
        if (members.size() != 1 || !members.get(0).equals(w)) {
            problems.add(where + ": Service " + parts[0] + " must select exactly this workload's pods, selects "
                    + members.stream().map(Workload::id).toList());
        }
        if (spec.getPorts().stream().noneMatch(p -> p.getPort() == 7800)) {
            problems.add(where + ": Service " + parts[0] + " has no JGroups port 7800");
        }
    }

    private static void checkDispatcher(Unit u, Workload agent, String address, String where, List<String> problems) {
        String host = address.substring(0, address.lastIndexOf(':'));
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        String[] parts = host.split("\\.");
        String ns = parts.length > 1 ? parts[1] : agent.namespace();
        Optional<Service> svc = service(u, ns, parts[0]);
        if (svc.isEmpty()) {
            problems.add(where + ": STOCKADE_DISPATCHER_ADDRESS names Service " + parts[0] + ", which does not exist");
            return;
        }
        if (svc.get().getSpec().getPorts().stream().noneMatch(p -> p.getPort() == port)) {
            problems.add(where + ": Service " + parts[0] + " has no port " + port);
        }
        var nodeSelector = agent.template().getSpec().getNodeSelector();
        String agentPool = nodeSelector == null ? null : nodeSelector.get(POOL_LABEL);
        List<Workload> dispatchers = u.selected(ns, svc.get().getSpec().getSelector());
        boolean samePool = !dispatchers.isEmpty() && dispatchers.stream()
                .allMatch(d -> Objects.equals(d.podLabels().get(POOL_LABEL), agentPool));
        if (agentPool == null || !samePool) {
            problems.add(where + ": agents of pool " + agentPool + " are sent to Service " + parts[0]
                    + ", which selects " + dispatchers.stream().map(Workload::id).toList());
        }
    }

    private static Optional<Service> service(Unit u, String ns, String name) {
        return u.of(Service.class).stream()
                .filter(s -> s.getMetadata().getName().equals(name) && Workloads.namespace(s).equals(ns)).findFirst();
    }
}
