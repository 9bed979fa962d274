package ai.chutes.collector;

/**
 * One guest agent as the collector tells them apart: the transport peer the kernel vouches for, the
 * {@code agent_id} it sends, and the {@code instance} of its process ("" from agents without one).
 */
record GuestKey(String peer, String agentId, String instance) {

    boolean sameAgent(GuestKey other) {
        return peer.equals(other.peer) && agentId.equals(other.agentId);
    }

    /** How the terminal names it: the id, with the instance's start when the id is not unique. */
    String name(boolean duplicate) {
        return duplicate && !instance.isEmpty() ? agentId + "#" + instance.substring(0, Math.min(8, instance.length())) : agentId;
    }
}
