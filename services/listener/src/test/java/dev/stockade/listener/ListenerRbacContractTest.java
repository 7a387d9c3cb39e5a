package dev.stockade.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.listener.rbac.ApiRequest;
import dev.stockade.listener.rbac.InstalledRbac;
import dev.stockade.listener.rbac.Permission;
import dev.stockade.listener.rbac.RbacContract;
import dev.stockade.localkafka.KafkaTestSupport;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RBAC is what the code calls (issue 15). Two listener replicas run their whole life against
 * fabric8's mock API server (CRUD) and a real broker while every request they send is recorded:
 * start, list and watch of every kind, every watch expiring (ERROR event, Status 410 Expired, as
 * the API server sends when the watched resourceVersion was compacted) and the relist that
 * follows, Lease leader election (create, acquire, renew, a standby's reads, release on close,
 * the standby's takeover and its own release). Each request is mapped to the (verb, group,
 * resource, namespace, name) the API server authorizes ({@link ApiRequest}), and the ClusterRole
 * and Role rules bound to the listener's ServiceAccount in each install under {@code k8s/}
 * ({@link InstalledRbac}) must allow exactly those: none missing, none more.
 *
 * <p>The listener writes nothing else: no status write-back, no Events (README "Decisions").
 * Only the listener talks to the API server; compiler, dispatcher and agent mount no token
 * ({@code RbacBaselineTest} in {@code k8s/}).
 */
class ListenerRbacContractTest {

    /** The collections the informers list and watch (InformerSource.WATCHED), all namespaces. */
    private static final List<String> WATCHED = List.of("/api/v1/namespaces", "/api/v1/nodes", "/api/v1/pods",
            "/apis/networking.k8s.io/v1/networkpolicies", "/apis/net.alpha.kubernetes.io/v1alpha1/networkpolicys",
            "/apis/policy.networking.k8s.io/v1alpha2/clusternetworkpolicies");
    private static final List<String> REPLICAS = List.of("stockade-listener-0", "stockade-listener-1");
    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/%s/leases";

    private static final String NAMESPACE = """
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"tenant-a",
              "annotations":{"net.alpha.kubernetes.io/network-isolation":"on"}}}""";
    private static final String NODE = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-a1"},"spec":{"podCIDR":"10.244.1.0/24"}}""";
    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"tenant-a","labels":{"segment":"web"}},
             "spec":{"nodeName":"node-a1","containers":[{"name":"web","image":"nginx:1.27"}]},
             "status":{"phase":"Running","podIP":"10.244.1.10","podIPs":[{"ip":"10.244.1.10"}]}}""";
    private static final String V1_POLICY = """
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny","namespace":"tenant-a"},
             "spec":{"podSelector":{},"policyTypes":["Ingress"]}}""";
    private static final String LEGACY_POLICY = """
            {"apiVersion":"net.alpha.kubernetes.io/v1alpha1","kind":"NetworkPolicy",
             "metadata":{"name":"pol1","namespace":"tenant-a"},
             "spec":{"podSelector":{"segment":"web"},"allowIncoming":{"from":[{"pods":{"segment":"web"}}]}}}""";

    private static final String CLUSTER_POLICY = """
            {"apiVersion":"policy.networking.k8s.io/v1alpha2","kind":"ClusterNetworkPolicy",
             "metadata":{"name":"deny-monitoring"},
             "spec":{"tier":"Admin","priority":10,"subject":{"namespaces":{}},
              "ingress":[{"action":"Deny","from":[{"namespaces":{"matchLabels":{"team":"ops"}}}]}]}}""";

    private static List<InstalledRbac.Install> installs;
    private static InstalledRbac.Install identity;
    private static Recording recording;

    /** What the listener's clients sent, and where in that sequence every watch was expired. */
    private record Recording(List<RecordingDispatcher.Request> requests, int expiredAt, List<String> expiredWatches) {
        List<ApiRequest> asApiRequests() {
            return requests.stream().map(r -> ApiRequest.of(r.method(), r.path())).toList();
        }
    }

    @BeforeAll
    static void recordTheListenersLifecycle() throws Exception {
        installs = InstalledRbac.installs(k8s());
        assertTrue(!installs.isEmpty(), "no install under " + k8s() + " runs the listener");
        identity = installs.get(0);
        for (InstalledRbac.Install i : installs) {
            assertEquals(List.of(identity.namespace(), identity.serviceAccount(), identity.leaseName()),
                    List.of(i.namespace(), i.serviceAccount(), i.leaseName()),
                    "installs " + identity.kustomization() + " and " + i.kustomization()
                            + " differ in the listener's identity");
        }
        recording = record(identity.namespace(), identity.leaseName());
        System.out.println("Requests of the listener, as the API server authorizes them (checked against the installs "
                + installs.stream().map(i -> i.kustomization().equals(".") ? "k8s" : "k8s/" + i.kustomization())
                        .toList() + "):\n" + table(recording));
    }

    @Test
    void theRecordingCoversStartWatchExpiryRelistAndLeaderElection() {
        List<RecordingDispatcher.Request> all = recording.requests();
        List<RecordingDispatcher.Request> after = all.subList(recording.expiredAt(), all.size());
        assertEquals(WATCHED.size() * REPLICAS.size(), recording.expiredWatches().size(),
                "open watches when they expired: " + recording.expiredWatches());
        for (String replica : REPLICAS) {
            for (String collection : WATCHED) {
                assertTrue(any(after, replica, r -> isList(r, collection)), replica + " listed " + collection + " again");
                assertTrue(any(after, replica, r -> isWatch(r, collection)), replica + " watched " + collection + " again");
            }
            assertTrue(any(all, replica, r -> isLease(r, "PUT") && holder(r, null)), replica + " released the Lease");
            assertTrue(all.stream().filter(r -> r.client().equals(replica) && isLease(r, "PUT") && holder(r, replica))
                    .count() >= 2, replica + " acquired or renewed the Lease twice");
        }
        assertTrue(all.stream().anyMatch(r -> isLease(r, "POST")), "the Lease was created");
        assertEquals(Set.copyOf(REPLICAS),
                all.stream().map(RecordingDispatcher.Request::client).collect(Collectors.toSet()),
                "every request came from a replica's client");
    }

    @Test
    void everyRequestTheListenerMakesIsGranted() {
        assertEachInstall((grants, requests) -> RbacContract.missing(grants, requests));
    }

    @Test
    void everyGrantIsExactlyAPermissionTheListenerUses() {
        assertEachInstall((grants, requests) -> RbacContract.unused(grants, requests));
    }

    /** The problems of every install at once, keyed by its kustomization directory under k8s/. */
    private static void assertEachInstall(BiFunction<Set<Permission>, List<ApiRequest>, List<String>> check) {
        Map<String, List<String>> problems = new TreeMap<>();
        for (InstalledRbac.Install install : installs) {
            problems.put(install.kustomization(), check.apply(install.grants(), recording.asApiRequests()));
        }
        Map<String, List<String>> none = new TreeMap<>();
        installs.forEach(i -> none.put(i.kustomization(), List.of()));
        assertEquals(none, problems);
    }

    @Test
    void aGrantTakenAwayIsReportedMissingAndAGrantAddedOrWidenedIsReportedUnused() {
        List<ApiRequest> used = recording.asApiRequests();
        Set<Permission> grants = new LinkedHashSet<>(identity.grants());
        Permission watchPods = new Permission("watch", "", "pods", null, null);
        assertTrue(grants.remove(watchPods), "the install grants " + watchPods);
        assertEquals(1, RbacContract.missing(grants, used).size(), RbacContract.missing(grants, used)::toString);
        assertTrue(RbacContract.missing(grants, used).get(0).startsWith(watchPods + " is needed"));

        grants = new LinkedHashSet<>(identity.grants());
        grants.add(new Permission("patch", "networking.k8s.io", "networkpolicies", null, null));
        grants.add(new Permission("get", "coordination.k8s.io", "leases", null, null));
        assertEquals(List.of(), RbacContract.missing(grants, used));
        List<String> more = RbacContract.unused(grants, used);
        assertEquals(List.of("patch networking.k8s.io/networkpolicies (cluster-wide) is granted and never used",
                "get coordination.k8s.io/leases (cluster-wide) is granted, broader than what was used: "
                        + "[get coordination.k8s.io/leases/" + identity.leaseName() + " (namespace " + identity.namespace() + ")]"), more);
    }

    /** The listener's life: two replicas with the install's Lease, watches expired, leader handover, shutdown. */
    private static Recording record(String namespace, String leaseName) throws Exception {
        RecordingDispatcher recorder = new RecordingDispatcher(MockApiServer.crud());
        try (KafkaTestSupport kafka = KafkaTestSupport.start(); MockApiServer api = new MockApiServer(recorder)) {
            String topic = "resources-" + UUID.randomUUID();
            kafka.createTopic(topic, 1, true);
            List.of(NAMESPACE, NODE, POD, V1_POLICY, LEGACY_POLICY, CLUSTER_POLICY).forEach(api::create);
            List<InformerSource> sources = new ArrayList<>();
            List<Replicas.Replica> replicas = new ArrayList<>();
            for (String name : REPLICAS) {
                KubernetesClient client = api.newClient(name);
                InformerSource source = new InformerSource(client);
                sources.add(source);
                replicas.add(Replicas.start(source, new LeaseLeadership(client, new LeaseLeadership.Settings(namespace,
                        leaseName, name, Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200))),
                        kafka.bootstrapServers(), topic, name));
            }
            try {
                Replicas.await("both replicas listed and one leads", () -> sources.stream().allMatch(InformerSource::synced)
                        && replicas.stream().anyMatch(r -> r.pipeline().publishing()));
                int leaderIndex = replicas.get(0).pipeline().publishing() ? 0 : 1;
                Replicas.Replica leader = replicas.get(leaderIndex);
                Replicas.Replica standby = replicas.get(1 - leaderIndex);
                String leaderName = REPLICAS.get(leaderIndex);
                String standbyName = REPLICAS.get(1 - leaderIndex);
                awaitLeaseWrites(recorder, leaderName, 3);

                int expiredAt = recorder.requests().size();
                List<String> expired = recorder.expireWatches();
                Replicas.await("every replica listed and watched every kind again", () -> {
                    List<RecordingDispatcher.Request> now = recorder.requests();
                    List<RecordingDispatcher.Request> after = now.subList(expiredAt, now.size());
                    return REPLICAS.stream().allMatch(replica -> WATCHED.stream().allMatch(
                            c -> any(after, replica, r -> isList(r, c)) && any(after, replica, r -> isWatch(r, c))));
                });

                leader.close();
                Replicas.await("the standby leads", () -> standby.pipeline().publishing());
                awaitLeaseWrites(recorder, standbyName, 2);
                standby.close();
                List<RecordingDispatcher.Request> listener = recorder.requests().stream()
                        .filter(r -> !r.client().equals(MockApiServer.ADMIN_AGENT)).toList();
                int listenerExpiredAt = (int) recorder.requests().subList(0, expiredAt).stream()
                        .filter(r -> !r.client().equals(MockApiServer.ADMIN_AGENT)).count();
                return new Recording(listener, listenerExpiredAt, expired);
            } finally {
                replicas.forEach(Replicas.Replica::close);
            }
        }
    }

    private static void awaitLeaseWrites(RecordingDispatcher recorder, String replica, int writes)
            throws InterruptedException {
        Replicas.await(replica + " wrote the Lease as holder " + writes + " times", () -> recorder.requests().stream()
                .filter(r -> r.client().equals(replica) && (isLease(r, "PUT") || isLease(r, "POST")) && holder(r, replica))
                .count() >= writes);
    }

    private static boolean any(List<RecordingDispatcher.Request> requests, String client,
                               Predicate<RecordingDispatcher.Request> test) {
        return requests.stream().anyMatch(r -> r.client().equals(client) && test.test(r));
    }

    private static boolean isList(RecordingDispatcher.Request r, String collection) {
        return r.method().equals("GET") && pathOf(r).equals(collection) && !r.path().contains("watch=true");
    }

    private static boolean isWatch(RecordingDispatcher.Request r, String collection) {
        return r.method().equals("GET") && pathOf(r).equals(collection) && r.path().contains("watch=true");
    }

    private static boolean isLease(RecordingDispatcher.Request r, String method) {
        return r.method().equals(method)
                && pathOf(r).startsWith(LEASES.formatted(identity.namespace()));
    }

    /** Whether a Lease write names {@code replica} as holder (null: names no holder, i.e. releases it). */
    private static boolean holder(RecordingDispatcher.Request r, String replica) {
        boolean named = r.body().contains("\"holderIdentity\":\"");
        return replica == null ? !named : r.body().contains("\"holderIdentity\":\"" + replica + "\"");
    }

    private static String pathOf(RecordingDispatcher.Request r) {
        int q = r.path().indexOf('?');
        return q < 0 ? r.path() : r.path().substring(0, q);
    }

    /** One line per needed permission: how many requests, and one of them. */
    private static String table(Recording recording) {
        Map<String, List<ApiRequest>> by = new TreeMap<>();
        recording.asApiRequests().forEach(r -> by.computeIfAbsent(r.needed().toString(), k -> new ArrayList<>()).add(r));
        StringBuilder out = new StringBuilder();
        by.forEach((permission, requests) -> out.append("  %-80s %4d  e.g. %s %s%n".formatted(permission,
                requests.size(), requests.get(0).method(), requests.get(0).path())));
        return out.toString();
    }

    /** k8s/ of this repository: system property {@code listener.k8s.dir} (set by the module's surefire), else found upward. */
    private static Path k8s() {
        String configured = System.getProperty("listener.k8s.dir");
        if (configured != null && Files.isRegularFile(Path.of(configured, "kustomization.yaml"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("k8s/kustomization.yaml"))) {
                return dir.resolve("k8s").normalize();
            }
        }
        throw new IllegalStateException("cannot find k8s/ (set -Dlistener.k8s.dir)");
    }
}
