package ai.chutes.collector;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host knows about each agent: its last lifecycle state, its last seq, when it last spoke.
 * Turns each message into the lines an operator wants to read: state changes, lost messages, silence.
 */
final class AgentTracker {

    private static final class Agent {
        String state;
        String message;
        long lastSeq;
        Instant lastSeen;
        boolean silent;
    }

    private final Duration silenceAfter;
    private final Duration forgetAfter;
    private final int maxAgents;
    /** Least recently heard first: the one dropped when the table is full. */
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private long dropped;

    /**
     * An agent that sends nothing for three push intervals is reported as silent; one silent for
     * {@code forgetAfter} is forgotten, and beyond {@code maxAgents} the least recently heard is, so
     * memory stays bounded whatever ids arrive.
     */
    AgentTracker(Duration interval, Duration forgetAfter, int maxAgents) {
        this.silenceAfter = interval.multipliedBy(3);
        this.forgetAfter = forgetAfter;
        this.maxAgents = maxAgents;
    }

    synchronized List<String> observe(String agentId, JsonNode message, Instant now, boolean verbose) {
        List<String> lines = new ArrayList<>();
        Agent agent = agents.remove(agentId);
        if (agent == null) {
            agent = new Agent();
            agent.lastSeen = now;
            if (agents.size() >= maxAgents) {
                Map.Entry<String, Agent> eldest = agents.entrySet().iterator().next();
                agents.remove(eldest.getKey());
                dropped++;
                lines.add(eldest.getKey() + " forgotten: the table holds at most " + maxAgents + " agents");
            }
        }
        agents.put(agentId, agent);
        if (agent.silent) {
            lines.add(agentId + " speaking again after " + Duration.between(agent.lastSeen, now).toSeconds() + " s of silence");
            agent.silent = false;
        }
        agent.lastSeen = now;
        JsonNode payload = message.path("payload");
        if (payload.path("seq").canConvertToLong()) {
            checkSeq(agentId, agent, payload.path("seq").asLong(), lines);
        }
        switch (message.path("type").asText()) {
            case "lifecycle" -> lifecycle(agentId, agent, payload, lines);
            case "overview" -> {
                if (verbose) {
                    lines.add(agentId + " overview seq=" + payload.path("seq").asLong() + " status=" + payload.path("status").asText());
                }
            }
            case "pong" -> lines.add(agentId + " pong");
            case "ack" -> lines.add(agentId + " ack for " + payload.path("reply_to").asText("(no type)") + ": ok="
                    + payload.path("ok").asBoolean() + (payload.path("error").isTextual() ? " error=" + payload.path("error").asText() : ""));
            default -> { }
        }
        return lines;
    }

    /** Agents that fell silent since the last call, each reported once until it speaks again. */
    synchronized List<String> silent(Instant now) {
        List<String> lines = new ArrayList<>();
        agents.entrySet().removeIf(entry -> {
            boolean forget = Duration.between(entry.getValue().lastSeen, now).compareTo(forgetAfter) >= 0;
            if (forget) {
                dropped++;
                lines.add(entry.getKey() + " forgotten after " + forgetAfter.toSeconds() + " s of silence");
            }
            return forget;
        });
        agents.forEach((id, agent) -> {
            Duration quiet = Duration.between(agent.lastSeen, now);
            if (!agent.silent && quiet.compareTo(silenceAfter) >= 0) {
                agent.silent = true;
                lines.add(id + " silent for " + quiet.toSeconds() + " s (no message for 3 intervals; last state "
                        + (agent.state == null ? "unknown" : agent.state) + ")");
            }
        });
        return lines;
    }

    synchronized int size() {
        return agents.size();
    }

    /** Agents forgotten so far, for silence or for room. */
    synchronized long dropped() {
        return dropped;
    }

    synchronized String stateOf(String agentId) {
        Agent agent = agents.get(agentId);
        return agent == null ? null : agent.state;
    }

    private static void checkSeq(String id, Agent agent, long seq, List<String> lines) {
        if (agent.lastSeq > 0 && seq > agent.lastSeq + 1) {
            long lost = seq - agent.lastSeq - 1;
            lines.add(id + " seq gap: " + agent.lastSeq + " -> " + seq + " (" + lost + " message" + (lost == 1 ? "" : "s") + " lost)");
        } else if (agent.lastSeq > 0 && seq <= agent.lastSeq) {
            lines.add(id + " seq went back from " + agent.lastSeq + " to " + seq + " (the agent restarted)");
        }
        agent.lastSeq = seq;
    }

    private static void lifecycle(String id, Agent agent, JsonNode payload, List<String> lines) {
        String state = payload.path("state").asText();
        String message = payload.path("message").asText("");
        if (!state.equals(agent.state) || !message.equals(agent.message)) {
            lines.add(id + " " + (agent.state == null ? "(first seen)" : agent.state) + " -> " + state
                    + (message.isEmpty() ? "" : " (" + message + ")"));
        }
        agent.state = state;
        agent.message = message;
    }
}
