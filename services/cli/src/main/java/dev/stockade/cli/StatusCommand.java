package dev.stockade.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stockade.events.v1.RulesTopic;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stockade status}: per policy, the nodes in its span and on how many of them it is in force
 * (realized), from {@code stockade.rules} (what each node's rule set holds, since which generation)
 * and {@code stockade.status} (each node's latest realized generation, reported by the dispatchers
 * from their agents' ACKs). A kubectl-like table, or {@code -o json}. Reads both topics whole, without
 * a consumer group; records it cannot decode are counted on stderr and skipped.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Per policy: nodes in its span, nodes where it is in force (realized), and the generation.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--rules-topic", defaultValue = "stockade.rules", description = "Per-node deltas and snapshots.")
    String rulesTopic;

    @Option(names = "--status-topic", defaultValue = "stockade.status", description = "Realized / NotRealized per node.")
    String statusTopic;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json.")
    String output;

    @Spec
    CommandSpec spec;

    private int skipped;

    @Override
    public Integer call() throws Exception {
        if (!output.equals("table") && !output.equals("json")) {
            throw new IllegalArgumentException("unknown output '" + output + "' (table or json)");
        }
        Map<String, String> properties = kafka.properties();
        RealizationView view = new RealizationView();
        kafka.reading(properties, "cannot read from " + kafka.bootstrap, () -> {
            TopicReader.readAll(kafka.bootstrap, rulesTopic, properties, record -> rules(record, view));
            TopicReader.readAll(kafka.bootstrap, statusTopic, properties, record -> status(record, view));
            return null;
        });
        PrintWriter out = spec.commandLine().getOut();
        if (output.equals("json")) {
            out.println(CoreJson.json().writeValueAsString(json(view.policies())));
        } else {
            StatusTable.print(view.policies(), out);
        }
        out.flush();
        if (skipped > 0) {
            spec.commandLine().getErr().println("skipped " + skipped + " records that do not decode");
            spec.commandLine().getErr().flush();
        }
        return 0;
    }

    private void rules(ConsumerRecord<String, byte[]> record, RealizationView view) {
        try {
            Header type = record.headers().lastHeader(RulesTopic.TYPE_HEADER);
            if (RulesTopic.isSnapshot(type == null ? null : type.value())) {
                view.snapshot(WireJson.decodeRuleSet(record.value()));
            } else {
                view.delta(WireJson.decodeRuleDelta(record.value()));
            }
        } catch (WireFormatException e) {
            skipped++;
        }
    }

    private void status(ConsumerRecord<String, byte[]> record, RealizationView view) {
        if (record.value() == null) {
            return;
        }
        try {
            view.status(WireJson.decodeStatus(record.value()));
        } catch (WireFormatException e) {
            skipped++;
        }
    }

    private static ObjectNode json(List<RealizationView.PolicyRealization> policies) {
        ObjectNode root = CoreJson.json().createObjectNode();
        ArrayNode array = root.putArray("policies");
        for (RealizationView.PolicyRealization policy : policies) {
            ObjectNode row = array.addObject();
            row.put("kind", policy.policy().kind()).put("namespace", policy.policy().namespace())
                    .put("name", policy.policy().name()).put("nodesInSpan", policy.nodes().size())
                    .put("nodesRealized", policy.realizedCount());
            ArrayNode nodes = row.putArray("nodes");
            policy.nodes().forEach(node -> nodes.addObject().put("node", node.node()).put("generation", node.generation())
                    .put("realizedGeneration", node.realizedGeneration()).put("realized", node.realized()));
        }
        return root;
    }
}
