package ai.chutes.collector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet in the Prometheus text format (0.0.4): per guest its state one-hot, silence, connection,
 * duplicate id, last message age, healthy units, GPUs, seq gaps and restarts, labelled with the
 * guest's identity (peer, agent_id, agent_instance: Prometheus keeps "instance" for the scrape
 * target); and the collector's own counts.
 */
final class MetricsText {

    static final List<String> STATES = List.of("booting", "ready", "healthy", "degraded", "shutdown");

    /** The collector's own counts, read when the text is made. */
    record Counts(long lines, long invalidLines, long dropped, int connections, int followers, long followersCutOff) {
    }

    private MetricsText() {
    }

    static String render(List<Guest.View> guests, Counts counts) {
        StringBuilder out = new StringBuilder(256 + guests.size() * 2048);
        Map<String, Integer> users = new HashMap<>();
        guests.forEach(g -> users.merge(g.key().agentId(), 1, Integer::sum));
        family(out, "collector_guests", "gauge", "Guests the collector knows (bounded by --max-agents).");
        out.append("collector_guests ").append(guests.size()).append('\n');
        family(out, "collector_guests_dropped_total", "counter", "Guests forgotten, for silence or for room.");
        out.append("collector_guests_dropped_total ").append(counts.dropped()).append('\n');
        family(out, "collector_duplicate_agent_ids", "gauge", "agent_ids used by more than one guest.");
        out.append("collector_duplicate_agent_ids ").append(users.values().stream().filter(n -> n > 1).count()).append('\n');
        family(out, "collector_lines_total", "counter", "Lines received from agents.");
        out.append("collector_lines_total ").append(counts.lines()).append('\n');
        family(out, "collector_lines_refused_total", "counter", "Lines refused: not JSON, over 1 MiB, or failing their schema.");
        out.append("collector_lines_refused_total ").append(counts.invalidLines()).append('\n');
        family(out, "collector_connections", "gauge", "Open agent connections.");
        out.append("collector_connections ").append(counts.connections()).append('\n');
        family(out, "collector_event_followers", "gauge", "Clients following GET /events.");
        out.append("collector_event_followers ").append(counts.followers()).append('\n');
        family(out, "collector_event_followers_cut_off_total", "counter", "/events followers cut off for falling behind.");
        out.append("collector_event_followers_cut_off_total ").append(counts.followersCutOff()).append('\n');

        family(out, "collector_guest_state", "gauge", "The guest's last lifecycle state, one-hot.");
        for (Guest.View g : guests) {
            for (String state : STATES) {
                sample(out, "collector_guest_state", g, "state", state, state.equals(g.state()) ? 1 : 0);
            }
        }
        perGuest(out, guests, "collector_guest_silent", "gauge",
                "1 when no message came for 3 push intervals (not after a clean shutdown).", g -> g.silent() ? 1 : 0);
        perGuest(out, guests, "collector_guest_connected", "gauge", "1 while a connection speaks for the guest.",
                g -> g.connected() ? 1 : 0);
        perGuest(out, guests, "collector_guest_duplicate", "gauge", "1 when another guest uses the same agent_id.",
                g -> users.get(g.key().agentId()) > 1 ? 1 : 0);
        perGuest(out, guests, "collector_guest_last_message_age_seconds", "gauge", "Seconds since the guest's last message.",
                g -> g.ageMillis() / 1000.0);
        perGuest(out, guests, "collector_guest_healthy_units", "gauge", "Healthy units in the latest overview.",
                g -> g.healthyUnits() < 0 ? Double.NaN : g.healthyUnits());
        perGuest(out, guests, "collector_guest_gpus", "gauge", "GPUs sampled in the latest overview.",
                g -> g.gpus() < 0 ? Double.NaN : g.gpus());
        perGuest(out, guests, "collector_guest_seq_gaps_total", "counter", "seq gaps seen (lost messages).", g -> g.seqGaps());
        perGuest(out, guests, "collector_guest_messages_lost_total", "counter", "Messages lost in seq gaps.",
                g -> g.messagesLost());
        perGuest(out, guests, "collector_guest_restarts_total", "counter", "Agent restarts seen (new instance or seq reset).",
                g -> g.restarts());
        perGuest(out, guests, "collector_guest_health_flips_total", "counter", "Changes between healthy and degraded.",
                g -> g.healthFlips());
        return out.toString();
    }

    private interface Value {
        double of(Guest.View guest);
    }

    private static void perGuest(StringBuilder out, List<Guest.View> guests, String name, String type, String help, Value value) {
        family(out, name, type, help);
        for (Guest.View g : guests) {
            double v = value.of(g);
            if (!Double.isNaN(v)) {
                sample(out, name, g, null, null, v);
            }
        }
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, Guest.View g, String extraLabel, String extraValue, double value) {
        out.append(name).append("{peer=\"").append(label(g.key().peer())).append("\",agent_id=\"")
                .append(label(g.key().agentId())).append("\",agent_instance=\"").append(label(g.key().instance())).append('"');
        if (extraLabel != null) {
            out.append(',').append(extraLabel).append("=\"").append(label(extraValue)).append('"');
        }
        out.append("} ");
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    /** Label values escaped as the format requires. */
    static String label(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
