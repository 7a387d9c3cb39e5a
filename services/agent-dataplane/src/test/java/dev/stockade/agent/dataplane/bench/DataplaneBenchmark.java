package dev.stockade.agent.dataplane.bench;

import dev.stockade.agent.dataplane.CommandRunner;
import dev.stockade.agent.dataplane.Nft;
import dev.stockade.agent.dataplane.NftScripts;
import dev.stockade.agent.dataplane.NftTable;
import dev.stockade.agent.dataplane.TableBuilder;
import dev.stockade.core.compiled.CompiledPolicy;
import dev.stockade.core.compiled.CompiledRule;
import dev.stockade.core.compiled.GroupMember;
import dev.stockade.core.compiled.MemberGroup;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.core.model.Protocol;
import dev.stockade.core.policy.Direction;
import dev.stockade.core.policy.PolicyKind;
import dev.stockade.core.policy.PolicyRef;
import dev.stockade.core.policy.PortMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Apply-time benchmark on a real node namespace (not a test: prints numbers). Scenarios: a
 * snapshot of a table with 10,000 set elements, a snapshot with 1,000 rules, and incremental
 * changes of 100 elements (100 pods joining, then 100 leaving, a 10,000-member peer group).
 * Each is measured {@code RUNS} times; "render" is the pure Java part (build the wanted table and
 * write the snapshot, or diff it against the committed table the reconciler keeps), "nft" is the
 * wall time of {@code ip netns exec NS nft -f -} including process start.
 *
 * <p>Run as root: see BENCHMARKS.md for the command.
 */
public final class DataplaneBenchmark {

    private static final int RUNS = 9;
    private static final String NODE = "node-1";

    private DataplaneBenchmark() {
    }

    public static void main(String[] args) {
        String netns = "sdbench-" + ProcessHandle.current().pid();
        CommandRunner os = CommandRunner.process();
        require(os.run(List.of("ip", "netns", "add", netns), null, Duration.ofSeconds(10)));
        try {
            Nft nft = new Nft(os, netns);
            snapshot("snapshot, 10,000 set elements", nft, () -> peerGroup(10_000, 0, 1));
            snapshot("snapshot, 1,000 rules", nft, () -> manyRules(100, 10));
            delta("delta, +100 elements into a 10,000-element set", nft, peerGroup(10_000, 0, 1), peerGroup(10_000, 100, 1));
            delta("delta, -100 elements from a 10,100-element set", nft, peerGroup(10_000, 100, 1), peerGroup(10_000, 0, 1));
        } finally {
            os.run(List.of("ip", "netns", "del", netns), null, Duration.ofSeconds(10));
        }
    }

    private static void snapshot(String name, Nft nft, Supplier<NodeRuleSet> ruleSet) {
        List<Long> render = new ArrayList<>();
        List<Long> apply = new ArrayList<>();
        NftTable table = null;
        for (int run = 0; run < RUNS; run++) {
            long started = System.nanoTime();
            table = TableBuilder.build(ruleSet.get());
            String script = NftScripts.snapshot(table);
            long rendered = System.nanoTime();
            require(nft.apply(script));
            render.add(rendered - started);
            apply.add(System.nanoTime() - rendered);
        }
        report(name + " (" + table.elementCount() + " elements, " + table.ruleCount() + " rules)", render, apply);
    }

    private static void delta(String name, Nft nft, NodeRuleSet before, NodeRuleSet after) {
        List<Long> render = new ArrayList<>();
        List<Long> apply = new ArrayList<>();
        NftTable beforeTable = TableBuilder.build(before);
        for (int run = 0; run < RUNS; run++) {
            require(nft.apply(NftScripts.snapshot(beforeTable)));
            long started = System.nanoTime();
            String script = NftScripts.delta(beforeTable, TableBuilder.build(after));
            long rendered = System.nanoTime();
            require(nft.apply(script));
            render.add(rendered - started);
            apply.add(System.nanoTime() - rendered);
        }
        report(name, render, apply);
    }

    /** One isolated local pod whose ingress allows TCP 80 from a group of {@code members} + {@code extra} pods. */
    static NodeRuleSet peerGroup(int members, int extra, int localPods) {
        TreeMap<String, GroupMember> peers = new TreeMap<>();
        for (int i = 0; i < members + extra; i++) {
            int n = i < members ? i : 60_000 + i;
            String ip = "10." + (100 + n / 65536) + "." + (n / 256 % 256) + "." + (n % 256);
            peers.put("peers/p" + i, new GroupMember("peers/p" + i, "node-2", List.of(ip), List.of()));
        }
        CompiledRule rule = new CompiledRule(Direction.INGRESS, 0, false, List.of("ag-peers"), List.of(),
                List.of(PortMatch.range(Protocol.TCP, 80, 80)));
        CompiledPolicy policy = CompiledPolicy.of(new PolicyRef(PolicyKind.NetworkPolicy, "app", "allow-peers"), "atg-app",
                List.of(Direction.INGRESS), List.of(rule));
        return ruleSet(List.of(policy), localPods, new MemberGroup("ag-peers", "peers", peers));
    }

    /** {@code pods} isolated local pods, each with {@code rulesPerPod} single-port ingress rules from one peer group. */
    static NodeRuleSet manyRules(int pods, int rulesPerPod) {
        List<CompiledRule> rules = new ArrayList<>();
        for (int i = 0; i < rulesPerPod; i++) {
            rules.add(new CompiledRule(Direction.INGRESS, i, false, List.of("ag-peers"), List.of(),
                    List.of(PortMatch.range(Protocol.TCP, 1000 + i, 1000 + i))));
        }
        CompiledPolicy policy = CompiledPolicy.of(new PolicyRef(PolicyKind.NetworkPolicy, "app", "many-rules"), "atg-app",
                List.of(Direction.INGRESS), rules);
        TreeMap<String, GroupMember> peers = new TreeMap<>();
        peers.put("peers/p0", new GroupMember("peers/p0", "node-2", List.of("10.100.0.1"), List.of()));
        return ruleSet(List.of(policy), pods, new MemberGroup("ag-peers", "peers", peers));
    }

    private static NodeRuleSet ruleSet(List<CompiledPolicy> policies, int localPods, MemberGroup peers) {
        TreeMap<String, GroupMember> local = new TreeMap<>();
        for (int i = 0; i < localPods; i++) {
            String ip = "10.244.1." + (i + 1);
            local.put("app/pod" + i, new GroupMember("app/pod" + i, NODE, List.of(ip), List.of()));
        }
        TreeMap<String, CompiledPolicy> byId = new TreeMap<>();
        policies.forEach(policy -> byId.put(policy.id(), policy));
        TreeMap<String, MemberGroup> appliedTo = new TreeMap<>();
        appliedTo.put("atg-app", new MemberGroup("atg-app", "app", local));
        TreeMap<String, MemberGroup> addresses = new TreeMap<>();
        addresses.put(peers.id(), peers);
        return new NodeRuleSet(NODE, byId, appliedTo, addresses);
    }

    private static void report(String name, List<Long> render, List<Long> apply) {
        System.out.printf(Locale.ROOT, "%-75s render median %6.1f ms | nft median %6.1f ms, min %6.1f ms, max %6.1f ms (%d runs)%n",
                name, median(render), median(apply), ms(apply.stream().min(Long::compare).orElseThrow()),
                ms(apply.stream().max(Long::compare).orElseThrow()), apply.size());
    }

    private static double median(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return ms(sorted.get(sorted.size() / 2));
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static void require(CommandRunner.Result result) {
        if (!result.ok()) {
            throw new IllegalStateException("command failed: " + result.stderr());
        }
    }
}
