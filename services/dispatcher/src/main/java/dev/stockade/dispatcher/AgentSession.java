package dev.stockade.dispatcher;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One agent connection on this replica, authenticated as {@code identity}. Until its hello, {@code node}
 * is null and nothing is sent; after it, {@code node} is the identity's node (a hello for another is refused).
 * {@code cursor} is the generation the agent holds once everything sent so far arrives (its hello's
 * generation, then each frame's); the session's memory is this cursor plus at most
 * {@code maxInFlight} unflushed frames — the deltas themselves stay in the shared breadcrumbs.
 * Fields other than the wire are guarded by the session's monitor.
 */
public final class AgentSession {

    final AgentWire wire;
    /** The node the agent's credential proved: the only node this session may serve or hear about. */
    final NodeIdentity identity;
    final AtomicBoolean scheduled = new AtomicBoolean();
    String node;
    long cursor = -1;
    long acked = -1;
    boolean needSnapshot;
    long lastNackSnapshot = -1;
    long lastMeasured = -1;
    int inFlight;
    boolean closed;

    AgentSession(AgentWire wire, NodeIdentity identity) {
        this.wire = wire;
        this.identity = identity;
    }

    /** What the agent's credential proved. */
    public NodeIdentity identity() {
        return identity;
    }

    /** The node named in the agent's hello; null before it. */
    public synchronized String node() {
        return node;
    }

    /** The last generation the agent acknowledged; -1 before its first ACK. */
    public synchronized long acked() {
        return acked;
    }

    @Override
    public String toString() {
        return "agent " + wire.remote() + " proven as node " + identity.node();
    }
}
