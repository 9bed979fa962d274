package ai.chutes.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One thing that happened to a guest: a line for the operator's terminal, an NDJSON object for
 * {@code GET /events} and {@code --json} (schemas/collector-event.schema.json).
 *
 * @param kind     state, silent, speaking, seq_gap, restart, duplicate, forgotten; pong and ack are
 *                 printed but not part of the event stream
 * @param text     the terminal line without the guest's name
 * @param seq      the seq of the message that caused it, or 0
 */
record FleetEvent(Instant time, String kind, GuestKey guest, String name, String from, String to, String message,
                  long seq, String text) {

    private static final ObjectMapper JSON = new ObjectMapper();

    boolean streamed() {
        return !kind.equals("pong") && !kind.equals("ack");
    }

    String line() {
        return name + " " + text;
    }

    String json() {
        ObjectNode node = JSON.createObjectNode();
        node.put("time", time.toString());
        node.put("kind", kind);
        ObjectNode id = node.putObject("guest");
        id.put("peer", guest.peer());
        id.put("agent_id", guest.agentId());
        id.put("instance", guest.instance());
        node.put("from", from);
        node.put("to", to);
        node.put("message", message);
        if (seq > 0) {
            node.put("seq", seq);
        }
        node.put("text", line());
        return node.toString();
    }
}
