package dev.stockade.dispatcher;

/**
 * What an agent's credential proves: the one node it may ask for, and who it is for the logs.
 *
 * @param node    the node the credential is bound to; a session of this identity serves this node only
 * @param subject who presented it, for logs ({@code system:serviceaccount:stockade:stockade-agent, pod stockade/agent-x});
 *                never the credential itself
 */
public record NodeIdentity(String node, String subject) {

    public NodeIdentity {
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("a node identity needs a node");
        }
    }

    @Override
    public String toString() {
        return "node " + node + " (" + subject + ")";
    }
}
