package dev.stockade.chaos;

import dev.stockade.localkafka.LocalKafka;

/**
 * A real KRaft broker (one node, broker and controller) as its own process: {@link LocalKafka} in
 * a JVM of its own. Prints {@code bootstrap <host:port>} once it serves.
 */
public final class BrokerProcess {

    private BrokerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalKafka kafka = LocalKafka.start();
        System.out.println("bootstrap " + kafka.bootstrapServers());
        System.out.flush();
        Args.parkForever();
    }
}
