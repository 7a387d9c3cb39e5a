package dev.stockade.compiler;

import dev.stockade.core.compiled.NodeDelta;
import dev.stockade.core.compiled.NodeRuleSet;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.RulesTopic;
import dev.stockade.events.v1.WireJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows {@code stockade.rules} as a dispatcher does: a snapshot replaces when it is at the
 * node's generation or newer, a delta applies at exactly the next generation, one at or below the
 * current generation is stale; and records what it had to skip (stale records, gaps, empty
 * snapshots) and which nodes got snapshots, with what each held before its first one.
 */
final class RulesFollower {
    final Map<String, NodeRuleSet> ruleSets = new HashMap<>();
    final Map<String, Long> generations = new HashMap<>();
    final List<String> staleRecords = new ArrayList<>();
    final List<String> gaps = new ArrayList<>();
    final List<String> emptySnapshots = new ArrayList<>();
    final java.util.Set<String> snapshotNodes = new java.util.HashSet<>();
    final Map<String, NodeRuleSet> ruleSetBeforeFirstSnapshot = new HashMap<>();
    int stale;

    void follow(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        for (ConsumerRecord<String, byte[]> record : records) {
            var type = record.headers().lastHeader(RulesTopic.TYPE_HEADER);
            long current = generations.getOrDefault(record.key(), 0L);
            if (RulesTopic.isSnapshot(type == null ? null : type.value())) {
                var snapshot = WireJson.decodeRuleSet(record.value());
                if (snapshot.generation() < current) {
                    stale++;
                    staleRecords.add("snapshot " + snapshot.node() + "@" + snapshot.generation() + " after " + current);
                    continue;
                }
                NodeRuleSet ruleSet = RuleDeltaCodec.fromWire(snapshot);
                if (ruleSet.isEmpty()) {
                    emptySnapshots.add(snapshot.node());
                }
                ruleSetBeforeFirstSnapshot.putIfAbsent(snapshot.node(), ruleSets.getOrDefault(snapshot.node(),
                        NodeRuleSet.empty(snapshot.node())));
                snapshotNodes.add(snapshot.node());
                ruleSets.put(snapshot.node(), ruleSet);
                generations.put(snapshot.node(), snapshot.generation());
            } else {
                NodeDelta delta = RuleDeltaCodec.fromWire(WireJson.decodeRuleDelta(record.value()));
                if (delta.generation() <= current) {
                    stale++;
                    staleRecords.add("delta " + delta.node() + "@" + delta.generation() + " after " + current);
                    continue;
                }
                if (delta.generation() != current + 1) {
                    gaps.add("delta " + delta.node() + "@" + delta.generation() + " after " + current);
                }
                ruleSets.put(delta.node(), ruleSets.getOrDefault(delta.node(), NodeRuleSet.empty(delta.node())).apply(delta));
                generations.put(delta.node(), delta.generation());
            }
        }
    }
}
