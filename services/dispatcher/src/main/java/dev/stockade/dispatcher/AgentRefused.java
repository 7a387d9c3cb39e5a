package dev.stockade.dispatcher;

/**
 * An agent's credential does not prove a node: the reason goes into the 401 answer and the log, so
 * it names what was wrong (no token, unknown token, wrong audience, not the agent ServiceAccount...)
 * and never contains the credential. No stack trace: this is an answer, not a failure.
 */
public final class AgentRefused extends RuntimeException {

    public AgentRefused(String reason) {
        super(reason, null, false, false);
    }
}
