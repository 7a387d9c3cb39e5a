package dev.stockade.compiler;

import jakarta.transaction.TransactionManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.context.Flag;

/**
 * The compiler's state in a replicated, transactional Infinispan cache shared by the replicas:
 * the objects in force (their {@code stockade.resources} record values, by key), every node's
 * generation, the owner (the active replica), the {@link Checkpoint} of the last batch, and after
 * a rebuild from the topic a mark until that rebuild's snapshots are published.
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
    /** Present while a rebuilt state's snapshots may not have reached {@code stockade.rules} yet. */
    private static final String ANNOUNCE = "announce";

    /** Thrown when a replica writes after another one took over. */
    static final class FencedException extends Exception {
        FencedException(String message) {
            super(message);
        }
    }

    /**
     * What a replica taking over rebuilds from; {@code announcePending}: the state was rebuilt
     * from the resources topic and its snapshots may not have been published yet.
     */
    record Snapshot(TreeMap<String, byte[]> resources, Map<String, Long> generations, Optional<Checkpoint> checkpoint,
                    boolean announcePending) {

        /** Nothing at all: a new cluster, or every replica lost its memory. */
        boolean isEmpty() {
            return resources.isEmpty() && generations.isEmpty() && checkpoint.isEmpty() && !announcePending;
        }
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
        boolean announce = false;
        for (Map.Entry<String, Object> entry : cache.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(RESOURCE)) {
                resources.put(key.substring(RESOURCE.length()), (byte[]) entry.getValue());
            } else if (key.startsWith(GENERATION)) {
                generations.put(key.substring(GENERATION.length()), (Long) entry.getValue());
            } else if (key.equals(CHECKPOINT)) {
                checkpoint = Checkpoint.fromBytes((byte[]) entry.getValue());
            } else if (key.equals(ANNOUNCE)) {
                announce = true;
            }
        }
        return new Snapshot(resources, generations, Optional.ofNullable(checkpoint), announce);
    }

    /**
     * Replaces the whole state with one rebuilt from the resources topic, in one transaction:
     * every object and generation, an empty checkpoint at {@code end - 1} under this owner's token
     * (the rebuild consumed up to the committed offset {@code end}
     * and sent nothing), and the announcement mark, cleared by {@link #announced} once the new
     * lineage's snapshots are on {@code stockade.rules}.
     */
    void replace(String token, Map<String, byte[]> resources, Map<String, Long> generations, long end) throws Exception {
        inTransaction(() -> {
            checkOwner(token);
            for (String key : cache.keySet()) {
                if (key.startsWith(RESOURCE) || key.startsWith(GENERATION) || key.equals(CHECKPOINT)) {
                    unlockedWrites.remove(key);
                }
            }
            Map<String, Object> puts = new HashMap<>();
            resources.forEach((key, value) -> puts.put(RESOURCE + key, value));
            generations.forEach((node, generation) -> puts.put(GENERATION + node, generation));
            puts.put(ANNOUNCE, 1L);
            if (end > 0) {
                puts.put(CHECKPOINT, new Checkpoint(token, end - 1, List.of()).toBytes());
            }
            unlockedWrites.putAll(puts);
        });
    }

    /** The rebuilt state's snapshots are published: clears the announcement mark. */
    void announced(String token) throws Exception {
        inTransaction(() -> {
            checkOwner(token);
            unlockedWrites.remove(ANNOUNCE);
        });
    }

    private void checkOwner(String token) throws FencedException {
        cache.lock(OWNER);
        Object owner = cache.get(OWNER);
        if (!token.equals(owner)) {
            throw new FencedException("state is owned by " + owner + ", not " + token);
        }
    }

    /**
     * Writes one batch atomically: resource values (null removes), generations of the nodes the batch
     * touched, and its checkpoint. Throws FencedException when the owner is no longer {@code token}.
     */
    void commit(String token, Map<String, byte[]> resources, Map<String, Long> generations, Checkpoint checkpoint)
            throws Exception {
        inTransaction(() -> {
            checkOwner(token);
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
