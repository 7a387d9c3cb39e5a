package dev.stockade.dispatcher.service;

import dev.stockade.dispatcher.StreamTls;
import dev.stockade.dispatcher.tls.ThrowawayCa;
import dev.stockade.localkafka.LocalKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real KRaft broker in the test JVM for the Quarkus test, with the pipeline's topics, and the agent
 * stream's certificate from a {@link ThrowawayCa} (the service serves TLS only, as in production).
 */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    static LocalKafka kafka;
    static ThrowawayCa ca;

    @Override
    public Map<String, String> start() {
        System.setProperty("stockade.jgroups.port", "7990");
        System.setProperty("stockade.jgroups.fd_offset", "150");
        kafka = LocalKafka.start();
        kafka.createTopic("stockade.resources", 1, true);
        kafka.createTopic("stockade.rules", 3, false);
        kafka.createTopic("stockade.status", 1, true);
        kafka.createTopic("stockade.control", 1, false);
        try {
            ca = ThrowawayCa.create(java.nio.file.Files.createTempDirectory("dispatcher-service-test-pki"), "service-test");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        StreamTls tls = ca.serverTls("dispatcher");
        return Map.of("stockade.dispatcher.bootstrap-servers", kafka.bootstrapServers(),
                "stockade.dispatcher.jgroups.cluster-name", "dispatcher-service-test-" + System.nanoTime(),
                "stockade.dispatcher.tls.cert", tls.certificate().toString(),
                "stockade.dispatcher.tls.key", tls.key().toString());
    }

    @Override
    public void stop() {
        kafka.close();
    }
}
