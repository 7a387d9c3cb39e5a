package dev.stockade.dispatcher;

import dev.stockade.events.v1.AgentStreamMessage;
import dev.stockade.events.v1.RuleDeltaCodec;
import dev.stockade.events.v1.StatusRecord;
import dev.stockade.events.v1.WireFormatException;
import dev.stockade.events.v1.WireJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * The agents connected to this replica (Typha's fan-out): each session has a cursor into its node's
 * breadcrumbs and is "pumped" — sent what it lacks — when its node changes, when a frame to it is
 * flushed, and after its hello. A pump sends at most {@code maxInFlight} unflushed frames, so a slow
 * agent only stops its own cursor; one that fell more than {@code ringSize} generations behind (or
 * whose next delta left the ring) gets one snapshot instead of the backlog. Pumps run on a shared
 * executor, one at a time per session.
 *
 * <p>An agent only ever receives its own node: a session is authenticated as one node before it
 * opens ({@link AgentAuthenticator}); a hello for another node, or an ACK/NACK naming another node,
 * closes it (1008, the claimed and the proven node in the reason and in a WARN log, never the
 * credential); a hello for a node outside this pool is refused.
 */
public final class SessionHub {

    private static final Logger LOG = Logger.getLogger(SessionHub.class.getName());
    static final int POLICY_VIOLATION = 1008;
    /** A close frame's payload is at most 125 bytes, two of them the code. */
    private static final int MAX_CLOSE_REASON = 120;

    private final DispatcherSettings settings;
    private final NodePools pools;
    private final PoolState state;
    private final KafkaOutbound outbound;
    private final DispatcherMetrics metrics;
    private final Executor pumps;
    private final Clock clock;
    private final Set<AgentSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<AgentSession>> byNode = new ConcurrentHashMap<>();
    private final SnapshotFrames snapshots;

    SessionHub(DispatcherSettings settings, NodePools pools, PoolState state, KafkaOutbound outbound,
               DispatcherMetrics metrics, Executor pumps, Clock clock) {
        this.settings = settings;
        this.pools = pools;
        this.state = state;
        this.outbound = outbound;
        this.metrics = metrics;
        this.pumps = pumps;
        this.clock = clock;
        this.snapshots = new SnapshotFrames();
    }

    /** A new connection, authenticated as {@code identity}. */
    public AgentSession open(AgentWire wire, NodeIdentity identity) {
        AgentSession session = new AgentSession(wire, java.util.Objects.requireNonNull(identity, "identity"));
        sessions.add(session);
        metrics.connected(1);
        return session;
    }

    /** The connection is gone. */
    public void closed(AgentSession session) {
        synchronized (session) {
            if (session.closed) {
                return;
            }
            session.closed = true;
        }
        sessions.remove(session);
        metrics.connected(-1);
        String node = session.node();
        if (node != null) {
            byNode.computeIfPresent(node, (key, set) -> {
                set.remove(session);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** A text frame from the agent. */
    public void received(AgentSession session, String text) {
        AgentStreamMessage message;
        try {
            message = WireJson.decodeAgentMessage(text.getBytes(StandardCharsets.UTF_8));
        } catch (WireFormatException e) {
            close(session, 1007, "bad frame: " + e.getMessage());
            return;
        }
        switch (message.type()) {
            case AgentStreamMessage.HELLO -> hello(session, message);
            case AgentStreamMessage.ACK -> ack(session, message);
            case AgentStreamMessage.NACK -> nack(session, message);
            default -> close(session, POLICY_VIOLATION, "unexpected frame type " + message.type());
        }
    }

    /** The node's state changed (any replica wrote it): wake its sessions. */
    public void nodeChanged(String node) {
        Set<AgentSession> waiting = byNode.get(node);
        if (waiting != null) {
            waiting.forEach(this::schedule);
        }
    }

    /** The node left the pool: its agents must find their new pool's dispatcher. */
    public void nodeLeft(String node) {
        Set<AgentSession> leaving = byNode.remove(node);
        if (leaving != null) {
            leaving.forEach(session -> close(session, POLICY_VIOLATION, "node " + node + " left pool " + settings.pool()));
        }
    }

    public int connected() {
        return sessions.size();
    }

    /** Closes every connection (the replica is stopping); agents reconnect to another replica. */
    public void closeAll(String reason) {
        sessions.forEach(session -> close(session, 1001, reason));
    }

    private void hello(AgentSession session, AgentStreamMessage hello) {
        String node = hello.node();
        if (node == null || node.isBlank() || hello.generation() == null) {
            close(session, POLICY_VIOLATION, "hello needs node and generation");
            return;
        }
        if (!node.equals(session.identity.node())) {
            refuseOtherNode(session, "hello", node);
            return;
        }
        String pool = pools.poolOf(node);
        if (!pool.equals(settings.pool())) {
            close(session, POLICY_VIOLATION, "node " + node + " is in pool " + pool + ", not " + settings.pool());
            return;
        }
        synchronized (session) {
            if (session.node != null) {
                close(session, POLICY_VIOLATION, "a second hello");
                return;
            }
            session.node = node;
            session.cursor = hello.generation();
        }
        byNode.computeIfAbsent(node, key -> ConcurrentHashMap.newKeySet()).add(session);
        state.head(node).filter(head -> head.canResumeFrom(hello.generation()) && hello.generation() < head.generation())
                .ifPresent(head -> metrics.resumed());
        schedule(session);
    }

    private void ack(AgentSession session, AgentStreamMessage ack) {
        String node = session.node();
        if (node == null || ack.generation() == null) {
            close(session, POLICY_VIOLATION, "ack before hello");
            return;
        }
        if (ack.node() != null && !ack.node().equals(node)) {
            refuseOtherNode(session, "ack", ack.node());
            return;
        }
        long g = ack.generation();
        boolean measure;
        synchronized (session) {
            session.acked = Math.max(session.acked, g);
            measure = g > session.lastMeasured;
            session.lastMeasured = Math.max(session.lastMeasured, g);
        }
        outbound.status(StatusRecord.realized(node, g, clock.millis()));
        metrics.behind(state.generation(node) - g);
        if (measure) {
            state.crumb(node, g).ifPresent(crumb -> metrics.propagation(clock.millis() - crumb.timestampMillis()));
        }
    }

    private void nack(AgentSession session, AgentStreamMessage nack) {
        String node = session.node();
        if (node == null || nack.generation() == null) {
            close(session, POLICY_VIOLATION, "nack before hello");
            return;
        }
        if (nack.node() != null && !nack.node().equals(node)) {
            refuseOtherNode(session, "nack", nack.node());
            return;
        }
        metrics.nack(nack.error());
        outbound.status(StatusRecord.notRealized(node, nack.generation(), nack.error(), clock.millis()));
        synchronized (session) {
            if (session.lastNackSnapshot == nack.generation()) {
                return;
            }
            session.lastNackSnapshot = nack.generation();
            session.needSnapshot = true;
        }
        LOG.fine(() -> session + " nacked " + nack.generation() + "; sending a snapshot");
        schedule(session);
    }

    /** A frame names a node the session's credential does not prove: refused and logged, nothing of it is used. */
    private void refuseOtherNode(AgentSession session, String frame, String claimed) {
        metrics.refusedOtherNode();
        LOG.warning("agent " + session.wire.remote() + " refused: its " + frame + " claims node " + claimed
                + " but its credential proves node " + session.identity.node() + " (" + session.identity.subject() + ")");
        close(session, POLICY_VIOLATION, frame + " for node " + claimed + " refused: credential is for node "
                + session.identity.node());
    }

    /** Closes the session's connection, the reason cut to what a WebSocket close frame carries. */
    private static void close(AgentSession session, int code, String reason) {
        session.wire.close(code, reason.length() > MAX_CLOSE_REASON ? reason.substring(0, MAX_CLOSE_REASON) : reason);
    }

    private void schedule(AgentSession session) {
        if (session.scheduled.compareAndSet(false, true)) {
            pumps.execute(() -> {
                session.scheduled.set(false);
                pump(session);
            });
        }
    }

    /** Sends the session what it lacks, within its in-flight bound. */
    private void pump(AgentSession session) {
        synchronized (session) {
            if (session.closed || session.node == null) {
                return;
            }
            while (session.inFlight < settings.maxInFlight() && !session.closed) {
                Optional<NodeHead> head = state.head(session.node);
                if (head.isEmpty() || !sendNext(session, head.get())) {
                    return;
                }
            }
        }
    }

    /** Sends one frame if the session lacks something; false when it is up to date. */
    private boolean sendNext(AgentSession session, NodeHead head) {
        long g = head.generation();
        if (!session.needSnapshot && session.cursor == g) {
            return false;
        }
        boolean snapshot = session.needSnapshot || session.cursor > g || g - session.cursor > settings.ringSize()
                || !head.hasCrumb(session.cursor + 1);
        Optional<PoolState.Crumb> next = snapshot ? Optional.empty() : state.crumb(session.node, session.cursor + 1);
        snapshot = snapshot || next.isEmpty();
        String frame;
        if (snapshot) {
            Map.Entry<Long, String> whole = snapshots.frame(state, session.node);
            if (whole == null) {
                close(session, 1011, "node state does not decode");
                return false;
            }
            frame = whole.getValue();
            session.cursor = whole.getKey();
            session.needSnapshot = false;
        } else {
            frame = Frames.delta(session.node, next.get().generation(), next.get().deltaText());
            session.cursor = next.get().generation();
        }
        metrics.sent(snapshot);
        session.inFlight++;
        long storedAt = snapshot ? -1 : next.get().storedAtMillis();
        session.wire.send(frame).whenComplete((ignored, failure) -> {
            if (failure == null && storedAt > 0) {
                metrics.delivered(clock.millis() - storedAt);
            }
            flushed(session, failure);
        });
        return true;
    }

    private void flushed(AgentSession session, Throwable failure) {
        synchronized (session) {
            session.inFlight--;
        }
        if (failure == null) {
            schedule(session);
        }
    }

    /** One sample per connected agent into the generations-behind histogram (called periodically). */
    void sampleBehind() {
        for (AgentSession session : sessions) {
            String node = session.node();
            if (node != null) {
                metrics.behind(state.generation(node) - Math.max(session.acked(), 0));
            }
        }
    }

    /** Snapshot frames, computed once per node and generation on this replica. */
    private static final class SnapshotFrames {
        private final Map<String, Map.Entry<Long, String>> frames = new ConcurrentHashMap<>();

        /** Generation and snapshot frame of the node's current state; null when it does not decode (or vanished). */
        Map.Entry<Long, String> frame(PoolState state, String node) {
            long generation = state.generation(node);
            Map.Entry<Long, String> cached = frames.get(node);
            if (cached != null && cached.getKey() == generation) {
                return cached;
            }
            try {
                Optional<PoolState.RuleSetAt> current = state.ruleSet(node);
                if (current.isEmpty()) {
                    return null;
                }
                Map.Entry<Long, String> frame = Map.entry(current.get().generation(),
                        Frames.snapshot(RuleDeltaCodec.toWire(current.get().ruleSet(), current.get().generation())));
                frames.put(node, frame);
                return frame;
            } catch (WireFormatException e) {
                LOG.warning("state of node " + node + " does not decode: " + e.getMessage());
                return null;
            }
        }
    }
}
