package dev.stockade.dispatcher.service;

import dev.stockade.localkafka.LocalKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A real KRaft broker in the test JVM for the Quarkus test, with the pipeline's topics. */
public class LocalKafkaResource implements QuarkusTestResourceLifecycleManager {

    static LocalKafka kafka;

    @Override
    public Map<String, String> start() {
        System.setProperty("stockade.jgroups.port", "7990");
        System.setProperty("stockade.jgroups.fd_offset", "150");
        kafka = LocalKafka.start();
        kafka.createTopic("stockade.resources", 1, true);
        kafka.createTopic("stockade.rules", 3, false);
        kafka.createTopic("stockade.status", 1, true);
        kafka.createTopic("stockade.control", 1, false);
        return Map.of("stockade.dispatcher.bootstrap-servers", kafka.bootstrapServers(),
                "stockade.dispatcher.jgroups.cluster-name", "dispatcher-service-test-" + System.nanoTime());
    }

    @Override
    public void stop() {
        kafka.close();
    }
}
