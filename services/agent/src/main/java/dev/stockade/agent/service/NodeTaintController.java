package dev.stockade.agent.service;

import dev.stockade.agent.AgentNode;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Keeps the node's {@link NodeTaint} in step with its agent, on a thread of its own (the API server
 * may be unreachable at boot; the agent never waits for it):
 * <ol>
 *   <li>at start, if the agent does not enforce a trusted rule set yet (a fresh node, a reboot, a
 *       wiped table), the taint is put on (a no-op on a node registered with it);</li>
 *   <li>once {@link AgentNode#enforcingFuture()} completes, the taint is removed.</li>
 * </ol>
 * Each step is retried with backoff until it succeeds; the steps run in this order, so a node ends
 * untainted once the agent enforces, whatever the timing. Nothing is done at shutdown.
 */
final class NodeTaintController implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NodeTaintController.class.getName());

    private final NodeTaint taint;
    private final ScheduledExecutorService executor;
    private final Duration initialRetry;
    private final Duration maxRetry;
    private volatile boolean removed;
    private volatile boolean wantTaint;

    private NodeTaintController(NodeTaint taint, Duration initialRetry, Duration maxRetry) {
        this.taint = taint;
        this.initialRetry = initialRetry;
        this.maxRetry = maxRetry;
        ScheduledThreadPoolExecutor single = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "node-taint");
            thread.setDaemon(true);
            return thread;
        });
        single.setRemoveOnCancelPolicy(true);
        this.executor = single;
    }

    static NodeTaintController start(NodeTaint taint, AgentNode agent, Duration initialRetry, Duration maxRetry) {
        NodeTaintController controller = new NodeTaintController(taint, initialRetry, maxRetry);
        controller.wantTaint = !agent.enforcing();
        if (controller.wantTaint) {
            controller.reconcile(1);
        }
        agent.enforcingFuture().thenRun(() -> {
            controller.wantTaint = false;
            controller.reconcile(1);
        });
        return controller;
    }

    /** Whether the taint has been removed (or found absent) after the agent started enforcing. */
    boolean removed() {
        return removed;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /**
     * Brings the taint to what is wanted now (read when the step runs, so a retry of an old "add"
     * never undoes a later "remove"); on failure, tries again after a backoff.
     */
    private void reconcile(int attempt) {
        try {
            executor.execute(() -> {
                boolean taintIt = wantTaint;
                try {
                    if (taintIt) {
                        taint.add();
                    } else {
                        taint.remove();
                        removed = true;
                    }
                } catch (RuntimeException e) {
                    long delay = Math.min(maxRetry.toMillis(), initialRetry.toMillis() << Math.min(attempt - 1, 20));
                    LOG.warning("node taint: cannot " + (taintIt ? "add" : "remove") + " it (" + e.getMessage()
                            + "); retrying in " + delay + " ms");
                    try {
                        executor.schedule(() -> reconcile(attempt + 1), delay, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.RejectedExecutionException closed) {
                        // closed
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }
}
