package dev.stockade.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.agent.AgentNode;
import dev.stockade.agent.AgentSettings;
import dev.stockade.agent.StreamTrust;
import dev.stockade.agent.dataplane.CommandRunner;
import dev.stockade.agent.dataplane.Nft;
import dev.stockade.agent.dataplane.NftReconciler;
import dev.stockade.agent.dataplane.NodeLayout;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.engine.CompiledCluster;
import dev.stockade.core.engine.Compiler;
import dev.stockade.core.engine.Engine;
import dev.stockade.core.model.EventType;
import dev.stockade.core.model.PodInfo;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.model.ResourceEvent;
import dev.stockade.core.verdict.Endpoint;
import dev.stockade.core.verdict.Probe;
import dev.stockade.core.verdict.VerdictEvaluator;
import dev.stockade.dispatcher.DispatcherReplica;
import dev.stockade.dispatcher.DispatcherSettings;
import dev.stockade.dispatcher.NodeTokens;
import dev.stockade.dispatcher.tls.ThrowawayCa;
import dev.stockade.kube.KubeObjectConverter;
import dev.stockade.kube.ManifestReader;
import dev.stockade.netlab.Attempt;
import dev.stockade.netlab.NetnsCluster;
import dev.stockade.netlab.Requirements;
import dev.stockade.testdata.NetpolCase;
import dev.stockade.testdata.NetpolCorpus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every case through the whole system onto real packets: fabric8's mock API server (CRUD mode) →
 * listener → a real KRaft broker → a compiler replica → two pools of dispatchers (agent stream over
 * TLS from a throwaway CA, a token per node) → one real agent per node with the nftables reconciler
 * in that node's network namespace → real TCP and UDP connections between pods in their own
 * namespaces. Each case (the project's own, every upstream one of {@code ../shared/conformance} when
 * it is there, and the 2016 example {@code k8s/examples/tenant-a}) is applied to the API server step
 * by step, updates included; after each step, once every agent enforces the full compile of what
 * the API server holds, the probed truth table must equal the expected one.
 *
 * <p>Between cases the previous case's objects that the next one does not have are deleted from the
 * API server, so each case starts from exactly its own manifests. Not probed, and counted as skipped
 * in the output: self pairs (a pod reaching its own address never leaves its network namespace, so
 * no node sees it) and SCTP (this kernel matches SCTP in nftables but cannot open SCTP sockets).
 *
 * <p>Skips itself, saying why, only when not root or when {@code nft}, {@code ip} or {@code socat} is
 * missing (CI runs as root with them installed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryCaseOnRealPacketsE2ETest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> POOLS = List.of("pool-a", "pool-b");
    private static final Duration CONVERGENCE = Duration.ofSeconds(60);
    /** A denied probe costs its whole patience; an allowed one that did not answer in time is tried again, longer. */
    private static final Duration PATIENCE = Duration.ofMillis(1000);
    private static final Duration RETRY_PATIENCE = Duration.ofSeconds(4);
    private static final int PARALLEL_PROBES = 24;

    @TempDir
    static Path work;
    private final Engine reference = new Engine();
    private final KubeObjectConverter converter = new KubeObjectConverter();
    /** What the API server holds, by apiVersion/kind/namespace/name, in the order it was created. */
    private final Map<String, JsonNode> applied = new LinkedHashMap<>();
    /** The Node objects this test made to put nodes into pools: infrastructure, kept across cases. */
    private final java.util.Set<String> poolNodes = new java.util.HashSet<>();
    private final Map<String, DispatcherReplica> dispatchers = new HashMap<>();
    private final Map<String, AgentNode> agents = new TreeMap<>();
    private final Map<String, String> nodeTokens = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService probes = Executors.newFixedThreadPool(PARALLEL_PROBES);
    private SSLContext trust;
    private ControlPlane plane;
    private NetnsCluster network;
    /** Every port any case probes: each pod serves them all, on TCP and UDP (np08 probes 53/UDP). */
    private final java.util.Set<Integer> servedPorts = new java.util.TreeSet<>(List.of(80, 81));

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Requirements.missing().isEmpty(),
                () -> "skipped: the whole system on real packets needs " + Requirements.missing().orElse(""));
        System.setProperty("stockade.jgroups.port", "7930");
        System.setProperty("stockade.jgroups.fd_offset", "150");
        String prefix = "e2e-packets-" + System.nanoTime();
        plane = ControlPlane.start("e2e-packets", 3);
        ThrowawayCa ca = ThrowawayCa.create(work.resolve("ca"), "e2e-packets");
        trust = ca.trustingContext();
        for (String pool : POOLS) {
            dispatchers.put(pool, DispatcherReplica.start(DispatcherSettings.defaults(plane.bootstrapServers(), pool, pool + "-1"),
                    DispatcherReplica.Options.loopback(prefix + "-" + pool, authorization -> NodeTokens.of(Map.copyOf(nodeTokens)).authenticate(authorization),
                            ca.serverTls(pool))));
        }
    }

    @AfterAll
    void stop() throws Exception {
        probes.shutdownNow();
        agents.values().forEach(AgentNode::close);
        if (network != null) {
            network.close();
        }
        dispatchers.values().forEach(DispatcherReplica::close);
        if (plane != null) {
            plane.close();
        }
    }

    /** One test per case, in order: the own corpus, the upstream one when present, then the 2016 example. */
    @TestFactory
    Stream<DynamicTest> everyCaseStepByStepOnRealPackets() {
        List<DynamicTest> tests = new ArrayList<>();
        List<NetpolCase> cases = NetpolCorpus.all();
        cases.forEach(next -> next.steps().forEach(step -> step.probes().forEach(probe -> servedPorts.add(probe.port()))));
        for (NetpolCase next : cases) {
            tests.add(DynamicTest.dynamicTest(next.toString(), () -> run(next.toString(), next.objects().size(), next.watchEvents(),
                    next.steps())));
        }
        tests.add(DynamicTest.dynamicTest("[2016] k8s/examples/tenant-a", this::runTenantA));
        return tests.stream();
    }

    /**
     * Applies a case step by step (its first {@code manifests} events are its manifests, ADDED; a step
     * holds after them and the step's number of further events); after each step, probes its truth table.
     */
    private void run(String name, int manifests, List<JsonNode> events, List<NetpolCase.Step> steps) throws Exception {
        System.out.println(name);
        removeWhatTheCaseLacks(events.subList(0, manifests));
        wireNetworkFor(events);
        List<String> failures = new ArrayList<>();
        int next = 0;
        for (NetpolCase.Step step : steps) {
            int until = Math.min(events.size(), manifests + step.events());
            while (next < until) {
                apply(events.get(next++));
            }
            awaitEnforced(name + " step " + step.events());
            failures.addAll(probe(step));
        }
        assertTrue(failures.isEmpty(), name + ": " + failures.size() + " probes differ from the truth table:\n"
                + String.join("\n", failures));
    }

    /**
     * The 2016 announcement's example exactly as written (nodes, isolated namespace, pods, policy):
     * frontend → backend on 80/TCP is allowed; everything else into the isolated namespace is denied.
     */
    private void runTenantA() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        ManifestReader reader = new ManifestReader();
        for (Path file : ManifestReader.manifestFiles(Path.of(System.getProperty("stockade.repo.dir", "../.."), "k8s/examples/tenant-a"))) {
            for (ManifestReader.Document document : reader.objects(file)) {
                events.add(added(document.object()));
            }
        }
        List<Probe> probed = List.of(new Probe(80, Protocol.TCP), new Probe(81, Protocol.TCP), new Probe(80, Protocol.UDP));
        List<NetpolCase.Expected> verdicts = new ArrayList<>();
        List<JsonNode> pods = events.stream().map(event -> event.path("object"))
                .filter(object -> object.path("kind").asText().equals("Pod")).toList();
        for (JsonNode from : pods) {
            for (JsonNode to : pods) {
                for (Probe probe : probed) {
                    boolean allowed = segment(from).equals("frontend") && segment(to).equals("backend")
                            && probe.equals(new Probe(80, Protocol.TCP));
                    verdicts.add(new NetpolCase.Expected(key(from), key(to), probe, allowed));
                }
            }
        }
        run("[2016] k8s/examples/tenant-a", events.size(), events, List.of(new NetpolCase.Step(0,
                "frontend -> backend 80/TCP only", probed, verdicts)));
    }

    private static String segment(JsonNode pod) {
        return pod.path("metadata").path("labels").path("segment").asText();
    }

    private static String key(JsonNode pod) {
        return pod.path("metadata").path("namespace").asText() + "/" + pod.path("metadata").path("name").asText();
    }

    /** Deletes (policies first, namespaces last) every object the API server holds that these manifests do not name. */
    private void removeWhatTheCaseLacks(List<JsonNode> objects) {
        java.util.Set<String> kept = new java.util.HashSet<>();
        objects.forEach(event -> kept.add(identity(event.path("object"))));
        List<JsonNode> gone = new ArrayList<>();
        applied.forEach((identity, object) -> {
            if (!kept.contains(identity) && !poolNodes.contains(identity)) {
                gone.add(object);
            }
        });
        Collections.reverse(gone);
        for (JsonNode object : gone) {
            ObjectNode deleted = JSON.createObjectNode().put("type", "DELETED");
            deleted.set("object", object);
            apply(deleted);
        }
    }

    /**
     * The network for the case's pods (from its manifests and its events): the current one when it
     * has exactly their addresses on the same nodes, else a new one with a fresh agent per node. Nodes
     * without a Node object are labelled into the two pools, alternately.
     */
    private void wireNetworkFor(List<JsonNode> events) throws Exception {
        Map<String, PodInfo> pods = new TreeMap<>();
        for (JsonNode event : events) {
            if (!event.path("type").asText().equals("DELETED")) {
                converter.convert(event.path("object")).resource().filter(PodInfo.class::isInstance).map(PodInfo.class::cast)
                        .filter(pod -> pod.nodeName() != null && !pod.ips().isEmpty())
                        .ifPresent(pod -> pods.putIfAbsent(pod.ips().get(0), pod));
            }
        }
        Map<String, String> wanted = new TreeMap<>();
        pods.forEach((ip, pod) -> wanted.put(ip, pod.nodeName()));
        Map<String, String> current = new TreeMap<>();
        if (network != null) {
            network.pods().forEach(pod -> current.put(pod.ip(), pod.node()));
        }
        if (network != null && current.equals(wanted)) {
            return;
        }
        agents.values().forEach(AgentNode::close);
        agents.clear();
        if (network != null) {
            network.close();
        }
        network = NetnsCluster.build(NetnsCluster.Options.tests().withServerPorts(servedPorts), new ArrayList<>(pods.values()));
        int index = 0;
        for (String node : network.nodes()) {
            String pool = events.stream().map(event -> event.path("object"))
                    .filter(object -> object.path("kind").asText().equals("Node") && object.path("metadata").path("name").asText().equals(node))
                    .map(object -> object.path("metadata").path("labels").path("stockade.dev/pool").asText()).findFirst()
                    .orElse(POOLS.get(index++ % POOLS.size()));
            JsonNode nodeObject = nodeObject(node, pool);
            if (!applied.containsKey(identity(nodeObject))) {
                apply(added(nodeObject));
                poolNodes.add(identity(nodeObject));
            }
            startAgent(node, pool);
        }
    }

    private void startAgent(String node, String pool) {
        String token = nodeTokens.computeIfAbsent(node, n -> "token-of-" + n + "-" + System.nanoTime());
        List<String> addresses = List.of(dispatchers.get(pool).address());
        AgentSettings settings = AgentSettings.tls(node, addresses, StreamTrust.token(token), trust)
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
        agents.put(node, AgentNode.start(settings, new NftReconciler(new Nft(CommandRunner.process(),
                network.nodeNetns(node)), NodeLayout.ROUTED)));
    }

    private static JsonNode nodeObject(String node, String pool) {
        ObjectNode object = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Node");
        object.putObject("metadata").put("name", node).putObject("labels").put("stockade.dev/pool", pool);
        return object;
    }

    private static JsonNode added(JsonNode object) {
        ObjectNode event = JSON.createObjectNode().put("type", "ADDED");
        event.set("object", object);
        return event;
    }

    private static String identity(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText() + "/"
                + metadata.path("namespace").asText() + "/" + metadata.path("name").asText();
    }

    /** The change goes to the API server; the reference engine sees it as the listener will. */
    private void apply(JsonNode event) {
        plane.cluster().apply(event);
        String type = event.path("type").asText();
        if (type.equals("DELETED")) {
            applied.remove(identity(event.path("object")));
        } else {
            applied.put(identity(event.path("object")), event.path("object"));
        }
        converter.convert(event.path("object")).resource().ifPresent(resource ->
                reference.apply(new ResourceEvent(EventType.valueOf(type), resource)));
    }

    /** Every agent of the network enforces the full compile of what the API server holds. */
    private void awaitEnforced(String step) throws InterruptedException {
        CompiledCluster compiled = Compiler.compile(reference.state());
        Map<String, NodeRuleSet> expected = new HashMap<>();
        agents.keySet().forEach(node -> expected.put(node, compiled.ruleSetFor(node)));
        await(step + ": every agent enforces the full compile", () -> agents.entrySet().stream()
                .allMatch(agent -> agent.getValue().ruleSet().equals(expected.get(agent.getKey()))));
    }

    /**
     * Probes every expected verdict of the step that can be probed and returns a line per mismatch;
     * also holds the core's verdict, read from what the agents enforce, to the truth table.
     */
    private List<String> probe(NetpolCase.Step step) {
        VerdictEvaluator oracle = new VerdictEvaluator(node -> agents.containsKey(node) ? agents.get(node).ruleSet()
                : NodeRuleSet.empty(node));
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> running = new ArrayList<>();
        int[] counts = new int[4];
        for (NetpolCase.Expected expected : step.verdicts()) {
            Endpoint from = Endpoint.of(reference.state().pods().get(expected.from())).orElseThrow();
            Endpoint to = Endpoint.of(reference.state().pods().get(expected.to())).orElseThrow();
            if (oracle.allowed(from, to, expected.probe()) != expected.allowed()) {
                failures.add("step " + step.events() + " ORACLE " + expected + ": the core's verdict on the agents' rules differs");
            }
            if (from.pod().equals(to.pod()) || expected.probe().protocol() == Protocol.SCTP) {
                counts[from.pod().equals(to.pod()) ? 2 : 3]++;
                continue;
            }
            counts[expected.allowed() ? 0 : 1]++;
            running.add(probes.submit(() -> {
                Attempt first = network.attempt(from.ip(), to.ip(), expected.probe(), PATIENCE);
                Attempt result = !first.ok() && expected.allowed()
                        ? network.attempt(from.ip(), to.ip(), expected.probe(), RETRY_PATIENCE) : first;
                if (result.ok() != expected.allowed()) {
                    failures.add("step " + step.events() + " " + expected + ": expected " + (expected.allowed() ? "allowed" : "denied")
                            + ", real packets were " + (result.ok() ? "allowed" : "denied") + " (" + result.detail() + ")");
                }
            }));
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (Exception e) {
                failures.add("a probe failed to run: " + e);
            }
        }
        System.out.printf("  step %d (%s): probed %d allowed + %d denied pairs on real packets; skipped %d self, %d SCTP%s%n",
                step.events(), step.description(), counts[0], counts[1], counts[2], counts[3],
                counts[3] > 0 ? " (this kernel cannot open SCTP sockets; SCTP verdicts held by the core's oracle only)" : "");
        if (counts[0] + counts[1] == 0 && counts[3] == 0) {
            failures.add("step " + step.events() + " probed nothing");
        }
        return failures;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for: " + what);
            Thread.sleep(20);
        }
    }
}
