package dev.stockade.compiler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.transaction.TransactionManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;

/**
 * The compiler's state in a replicated, transactional Infinispan cache shared by the replicas:
 * the objects in force (their {@code stockade.resources} record values, by key), every node's
 * generation, the owner (the active replica) and the {@link Checkpoint} of the last batch.
 *
 * <p>Every batch is one pessimistic Infinispan transaction that first locks and checks the owner
 * key: a replica that lost ownership (a zombie) cannot write, so the state only ever reflects
 * batches of the current owner.
 */
final class ReplicatedState {

    private static final String OWNER = "owner";
    private static final String CHECKPOINT = "checkpoint";
    private static final String RESOURCE = "r:";
    private static final String GENERATION = "g:";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Thrown when a replica writes after another one took over. */
    static final class FencedException extends Exception {
        FencedException(String message) {
            super(message);
        }
    }

    /** What a replica taking over rebuilds from. */
    record Snapshot(TreeMap<String, byte[]> resources, Map<String, Long> generations, Optional<Checkpoint> checkpoint) {
    }

    private final AdvancedCache<String, Object> cache;

    ReplicatedState(Cache<String, Object> cache) {
        this.cache = cache.getAdvancedCache();
    }

    /** Makes this replica the owner; returns the owner token its writes must carry. */
    String claim(String replicaId) throws Exception {
        String token = replicaId + "@" + System.nanoTime();
        inTransaction(() -> {
            cache.lock(OWNER);
            cache.put(OWNER, token);
        });
        return token;
    }

    Snapshot load() {
        TreeMap<String, byte[]> resources = new TreeMap<>();
        Map<String, Long> generations = new HashMap<>();
        Checkpoint checkpoint = null;
        for (Map.Entry<String, Object> entry : cache.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(RESOURCE)) {
                resources.put(key.substring(RESOURCE.length()), (byte[]) entry.getValue());
            } else if (key.startsWith(GENERATION)) {
                generations.put(key.substring(GENERATION.length()), (Long) entry.getValue());
            } else if (key.equals(CHECKPOINT)) {
                checkpoint = decode((byte[]) entry.getValue());
            }
        }
        return new Snapshot(resources, generations, Optional.ofNullable(checkpoint));
    }

    /**
     * Writes one batch atomically: resource values (null removes), generations of the nodes the batch
     * touched, and its checkpoint. Throws FencedException when the owner is no longer {@code token}.
     */
    void commit(String token, Map<String, byte[]> resources, Map<String, Long> generations, Checkpoint checkpoint)
            throws Exception {
        inTransaction(() -> {
            cache.lock(OWNER);
            Object owner = cache.get(OWNER);
            if (!token.equals(owner)) {
                throw new FencedException("state is owned by " + owner + ", not " + token);
            }
            resources.forEach((key, value) -> {
                if (value == null) {
                    cache.remove(RESOURCE + key);
                } else {
                    cache.put(RESOURCE + key, value);
                }
            });
            generations.forEach((node, generation) -> cache.put(GENERATION + node, generation));
            cache.put(CHECKPOINT, encode(checkpoint));
        });
    }

    /** Work done inside one transaction. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private void inTransaction(Work work) throws Exception {
        TransactionManager transactions = cache.getTransactionManager();
        transactions.begin();
        try {
            work.run();
        } catch (Exception | Error failure) {
            transactions.rollback();
            throw failure;
        }
        transactions.commit();
    }

    private static byte[] encode(Checkpoint checkpoint) {
        try {
            return JSON.writeValueAsBytes(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Checkpoint decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, Checkpoint.class);
        } catch (IOException e) {
            throw new UncheckedIOException("replicated checkpoint does not decode", e);
        }
    }
}
