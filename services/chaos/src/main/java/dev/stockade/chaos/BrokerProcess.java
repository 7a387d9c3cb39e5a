package dev.stockade.chaos;

import dev.stockade.localkafka.ClusterLayout;
import dev.stockade.localkafka.LocalKafka;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real KRaft node (broker and controller) as its own process: {@link LocalKafka#startClusterNode}
 * in a JVM of its own. {@code --layout} (a {@link ClusterLayout} as {@link ClusterLayout#asText()}
 * writes it: the cluster id and every node's id and ports), {@code --node-id}, {@code --dir} (its log
 * directory: formatted on the first start, reused after a {@code kill -9}). Prints
 * {@code bootstrap <host:port>} once it serves.
 *
 * <p>With 3 nodes, a node that died is noticed by the controller within {@value #SESSION_MS} ms
 * ({@code broker.session.timeout.ms}, Kafka's default 9 s) and its partitions' leadership moves to
 * an in-sync replica: the harness restarts a killed node 0.3 s later, and until the controller fences
 * the old incarnation (the session timeout) it is taken as still registered.
 */
public final class BrokerProcess {

    static final int SESSION_MS = 2500;

    private BrokerProcess() {
    }

    public static void main(String[] argv) throws InterruptedException {
        Args args = Args.parse(argv);
        LocalKafka kafka = LocalKafka.startClusterNode(ClusterLayout.parse(args.get("layout")),
                Integer.parseInt(args.get("node-id")), Path.of(args.get("dir")),
                Map.of("broker.session.timeout.ms", String.valueOf(SESSION_MS), "broker.heartbeat.interval.ms", "500"));
        System.out.println("bootstrap " + kafka.bootstrapServers());
        System.out.flush();
        Args.parkForever();
    }
}
