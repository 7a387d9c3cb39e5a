package dev.stockade.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dashboard graphs the metrics the services promise to export, and nothing else of ours. */
class GrafanaDashboardTest {

    /**
     * THE METRICS CONTRACT (Prometheus names, as Micrometer exports them at /q/metrics). The
     * services (issues 3 and 4) must export these names; a rename changes this set, the dashboard
     * and k8s/README.md together. Histograms are listed by base name (_bucket/_sum/_count follow).
     */
    static final Set<String> STOCKADE_METRICS = Set.of(
            "stockade_listener_events_published_total",
            "stockade_compiler_events_consumed_total",
            "stockade_compiler_deltas_produced_total",
            "stockade_compiler_compile_seconds",
            "stockade_compiler_deltas_seconds",
            "stockade_compiler_rejected_objects_total",
            "stockade_dispatcher_agents_connected",
            "stockade_dispatcher_generations_behind",
            "stockade_dispatcher_generations_behind_max",
            "stockade_dispatcher_nacks_total",
            "stockade_dispatcher_sends_total",
            "stockade_dispatcher_propagation_seconds",
            "stockade_agent_apply_seconds");

    /** Exported by the Strimzi Kafka Exporter (Kafka.spec.kafkaExporter). */
    static final Set<String> KAFKA_METRICS = Set.of("kafka_consumergroup_lag");

    static final Path DASHBOARD = Repo.k8s().resolve("monitoring/dashboards/stockade.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:stockade|kafka)_[a-z0-9_]+)");

    @Test
    void theDashboardIsGrafanaJsonWithAUidAndPanels() throws Exception {
        JsonNode d = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        assertEquals("stockade-overview", d.path("uid").asText());
        assertTrue(d.path("panels").size() >= 9);
        for (JsonNode p : d.path("panels")) {
            assertTrue(p.path("targets").size() > 0, "panel without a query: " + p.path("title"));
        }
    }

    @Test
    void everyQueryUsesOnlyContractMetricsAndEveryContractMetricIsGraphed() throws Exception {
        JsonNode d = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        Set<String> used = new TreeSet<>();
        for (JsonNode p : d.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                Matcher m = METRIC.matcher(t.path("expr").asText());
                while (m.find()) {
                    used.add(m.group(1).replaceAll("_(bucket|sum|count)$", ""));
                }
            }
        }
        Set<String> contract = new TreeSet<>(STOCKADE_METRICS);
        contract.addAll(KAFKA_METRICS);
        assertEquals(contract, used);
    }

    @Test
    void theReadmeDocumentsEveryContractMetric() throws Exception {
        String readme = Files.readString(Repo.k8s().resolve("README.md"));
        for (String m : STOCKADE_METRICS) {
            assertTrue(readme.contains("`" + m + "`"), "k8s/README.md does not document " + m);
        }
    }
}
