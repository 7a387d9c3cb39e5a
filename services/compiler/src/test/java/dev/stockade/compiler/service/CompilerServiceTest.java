package dev.stockade.compiler.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockade.compiler.CompilerLoop;
import dev.stockade.events.v1.ResourceRecord;
import dev.stockade.events.v1.RuleDeltaRecord;
import dev.stockade.events.v1.WireJson;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The compiler as a Quarkus service: it becomes active, compiles what arrives, and reports health and metrics. */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
class CompilerServiceTest {

    @Inject
    CompilerService service;

    @Test
    void theOnlyReplicaBecomesActiveCompilesAndExportsItsMetrics() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (service.role() != CompilerLoop.Role.ACTIVE && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(CompilerLoop.Role.ACTIVE, service.role());
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        publish("Namespace//tenant-a", """
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"tenant-a",
                 "annotations":{"net.alpha.kubernetes.io/network-isolation":"on"}}}""");
        publish("Pod/tenant-a/backend-1", """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"backend-1","namespace":"tenant-a","labels":{"segment":"backend"}},
                 "spec":{"nodeName":"node-a2","containers":[{"name":"c"}]},"status":{"podIP":"10.244.2.20"}}""");

        List<RuleDeltaRecord> deltas = readDeltas(Duration.ofSeconds(20));
        assertTrue(deltas.stream().anyMatch(d -> d.node().equals("node-a2")
                && d.policies().added().stream().anyMatch(p -> p.kind().equals("NamespaceIsolation"))), deltas.toString());
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("stockade_compiler_events_consumed_total"))
                .body(containsString("stockade_compiler_compile_seconds_bucket"))
                .body(containsString("stockade_compiler_deltas_seconds_bucket"))
                .body(containsString("stockade_compiler_deltas_produced_total{node=\"node-a2\"}"));
    }

    private static void publish(String key, String object) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafkaResource.kafka.bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties)) {
            producer.send(new ProducerRecord<>("stockade.resources", key,
                    WireJson.encode(ResourceRecord.of("1", System.currentTimeMillis(), new ObjectMapper().readTree(object)))))
                    .get();
        }
    }

    private static List<RuleDeltaRecord> readDeltas(Duration within) throws Exception {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalKafkaResource.kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-rules-reader");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<RuleDeltaRecord> deltas = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of("stockade.rules"));
            long deadline = System.nanoTime() + within.toNanos();
            while (deltas.size() < 1 && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    deltas.add(WireJson.decodeRuleDelta(record.value()));
                }
            }
        }
        return deltas;
    }
}
