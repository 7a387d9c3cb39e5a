package dev.stockade.compiler;

import jakarta.transaction.TransactionManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.context.Flag;

/**
 * The compiler's state in a replicated, transactional Infinispan cache shared by the replicas:
 * the objects in force (their {@code stockade.resources} record values, by key), every node's
 * generation, the owner (the active replica) and the {@link Checkpoint} of the last batch.
 *
 * <p>Every batch is one pessimistic Infinispan transaction that first locks and checks the owner
 * key: a replica that lost ownership (a zombie) cannot write, so the state only ever reflects
 * batches of the current owner. Holding that lock serialises every writer, so the other keys are
 * written without locks of their own (one lock instead of one per object, each possibly on
 * another member) and without fetching the values they replace.
 */
final class ReplicatedState {

    private static final String OWNER = "owner";
    private static final String CHECKPOINT = "checkpoint";
    private static final String RESOURCE = "r:";
    private static final String GENERATION = "g:";

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
    private final AdvancedCache<String, Object> unlockedWrites;

    ReplicatedState(Cache<String, Object> cache) {
        this.cache = cache.getAdvancedCache();
        this.unlockedWrites = this.cache.withFlags(Flag.SKIP_LOCKING, Flag.IGNORE_RETURN_VALUES);
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
                checkpoint = Checkpoint.fromBytes((byte[]) entry.getValue());
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
            Map<String, Object> puts = new HashMap<>();
            resources.forEach((key, value) -> {
                if (value == null) {
                    unlockedWrites.remove(RESOURCE + key);
                } else {
                    puts.put(RESOURCE + key, value);
                }
            });
            generations.forEach((node, generation) -> puts.put(GENERATION + node, generation));
            puts.put(CHECKPOINT, checkpoint.toBytes());
            unlockedWrites.putAll(puts);
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
}
