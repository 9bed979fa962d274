package ai.chutes.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every guest the collector has heard, bounded: one silent for {@code forgetAfter} is forgotten, and
 * beyond {@code maxGuests} the least recently heard is. A new {@code instance} under a peer and
 * agent_id whose old instance is gone is a restart; while the old one is still connected it is a
 * second agent, and every guest sharing an agent_id is reported as a duplicate, never merged.
 * Only lines that passed their schema reach it.
 */
final class Fleet {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Duration silenceAfter;
    private final Duration forgetAfter;
    private final int maxGuests;
    /** Least recently heard first: the one dropped when the table is full. */
    private final Map<GuestKey, Guest> guests = new LinkedHashMap<>();
    private long dropped;

    /** A guest that sends nothing for three push intervals is silent (unless it shut down cleanly). */
    Fleet(Duration interval, Duration forgetAfter, int maxGuests) {
        this.silenceAfter = interval.multipliedBy(3);
        this.forgetAfter = forgetAfter;
        this.maxGuests = maxGuests;
    }

    /**
     * Takes one valid message from a connection whose peer is {@code peer}; {@code bound} is the guest
     * that connection spoke for so far (null before its first lifecycle or overview). Returns the guest
     * the connection now speaks for.
     */
    synchronized GuestKey observe(String peer, GuestKey bound, JsonNode message, Instant now, List<FleetEvent> events) {
        String type = message.path("type").asText();
        JsonNode payload = message.path("payload");
        if (!payload.hasNonNull("agent_id")) {
            // pong and ack: they speak for whoever the connection spoke for
            Guest guest = bound == null ? null : guests.get(bound);
            String name = guest == null ? peer : bound.name(guest.duplicate);
            events.add(new FleetEvent(now, type, bound == null ? new GuestKey(peer, "", "") : bound, name, null, null, null, 0,
                    type.equals("pong") ? "pong" : "ack for " + payload.path("reply_to").asText("(no type)") + ": ok="
                            + payload.path("ok").asBoolean()
                            + (payload.path("error").isTextual() ? " error=" + payload.path("error").asText() : "")));
            return bound;
        }
        String agentId = payload.path("agent_id").asText();
        String instance = payload.path("instance").asText(
                bound != null && bound.agentId().equals(agentId) && bound.peer().equals(peer) ? bound.instance() : "");
        GuestKey key = new GuestKey(peer, agentId, instance);
        Guest guest = guests.remove(key);
        String previousState = null;
        if (guest == null) {
            guest = new Guest(key, now);
            previousState = admit(guest, bound, now, events);
        }
        guests.put(key, guest);
        if (!key.equals(bound)) {
            guest.connections++;
            if (bound != null && guests.containsKey(bound)) {
                guests.get(bound).connections--;
            }
        }
        if (guest.silent) {
            events.add(event(guest, now, "speaking", null, null, 0,
                    "speaking again after " + Duration.between(guest.lastMessage, now).toSeconds() + " s of silence"));
            guest.silent = false;
        }
        guest.lastMessage = now;
        long seq = payload.path("seq").asLong();
        checkSeq(guest, seq, now, events);
        if (type.equals("lifecycle")) {
            lifecycle(guest, payload, previousState, seq, now, events);
        } else if (type.equals("overview")) {
            overview(guest, payload);
        }
        return key;
    }

    /** A connection that spoke for {@code key} closed. */
    synchronized void disconnected(GuestKey key) {
        Guest guest = key == null ? null : guests.get(key);
        if (guest != null && guest.connections > 0) {
            guest.connections--;
        }
    }

    /** Guests newly silent (reported once until they speak again) and guests forgotten. */
    synchronized List<FleetEvent> sweep(Instant now) {
        List<FleetEvent> events = new ArrayList<>();
        for (Iterator<Guest> it = guests.values().iterator(); it.hasNext(); ) {
            Guest guest = it.next();
            Duration quiet = Duration.between(guest.lastMessage, now);
            if (quiet.compareTo(forgetAfter) >= 0) {
                it.remove();
                dropped++;
                events.add(event(guest, now, "forgotten", guest.state, null, 0,
                        "forgotten after " + quiet.toSeconds() + " s of silence"));
            } else if (!guest.silent && quiet.compareTo(silenceAfter) >= 0 && !"shutdown".equals(guest.state)) {
                guest.silent = true;
                events.add(event(guest, now, "silent", guest.state, guest.state, 0, "silent for " + quiet.toSeconds()
                        + " s (no message for 3 intervals; last state " + (guest.state == null ? "unknown" : guest.state) + ")"));
            }
        }
        markDuplicates();
        return events;
    }

    synchronized List<Guest.View> views(Instant now) {
        List<Guest.View> views = new ArrayList<>(guests.size());
        guests.values().forEach(guest -> views.add(guest.view(now)));
        return views;
    }

    synchronized int size() {
        return guests.size();
    }

    /** Guests forgotten so far, for silence or for room. */
    synchronized long dropped() {
        return dropped;
    }

    synchronized String stateOf(String agentId) {
        return guests.values().stream().filter(g -> g.key.agentId().equals(agentId)).map(g -> g.state)
                .findFirst().orElse(null);
    }

    /** Makes room for a new guest; a restart takes over its predecessor's counts and state. */
    private String admit(Guest guest, GuestKey bound, Instant now, List<FleetEvent> events) {
        String previousState = null;
        for (Iterator<Guest> it = guests.values().iterator(); it.hasNext(); ) {
            Guest other = it.next();
            if (!other.key.sameAgent(guest.key)) {
                continue;
            }
            if (other.key.equals(bound) && other.key.instance().isEmpty()) {
                // this connection's own earlier lines, sent before it named its instance
                it.remove();
                previousState = takeOver(guest, other);
                guest.restarts = other.restarts;
            } else if (other.connections == 0 || "shutdown".equals(other.state)) {
                it.remove();
                previousState = takeOver(guest, other);
                guest.restarts = other.restarts + 1;
                events.add(event(guest, now, "restart", other.state, null, 0, "restarted (instance "
                        + brief(other.key.instance()) + " -> " + brief(guest.key.instance()) + ")"));
            }
        }
        if (guests.size() >= maxGuests) {
            Guest eldest = guests.values().iterator().next();
            guests.remove(eldest.key);
            dropped++;
            events.add(event(eldest, now, "forgotten", eldest.state, null, 0,
                    "forgotten: the collector keeps at most " + maxGuests + " guests"));
        }
        for (Guest other : guests.values()) {
            if (other.key.agentId().equals(guest.key.agentId())) {
                guest.duplicate = true;
                other.duplicate = true;
                events.add(event(guest, now, "duplicate", null, null, 0, "DUPLICATE agent_id '" + guest.key.agentId()
                        + "': also used by " + other.key.peer() + " instance " + brief(other.key.instance())));
            }
        }
        return previousState;
    }

    private static String takeOver(Guest guest, Guest predecessor) {
        guest.seqGaps = predecessor.seqGaps;
        guest.messagesLost = predecessor.messagesLost;
        guest.healthFlips = predecessor.healthFlips;
        return predecessor.state;
    }

    private void markDuplicates() {
        Map<String, Integer> users = new HashMap<>();
        guests.values().forEach(g -> users.merge(g.key.agentId(), 1, Integer::sum));
        guests.values().forEach(g -> g.duplicate = users.get(g.key.agentId()) > 1);
    }

    private void checkSeq(Guest guest, long seq, Instant now, List<FleetEvent> events) {
        if (seq <= 0) {
            return;
        }
        if (guest.lastSeq > 0 && seq > guest.lastSeq + 1) {
            long lost = seq - guest.lastSeq - 1;
            guest.seqGaps++;
            guest.messagesLost += lost;
            events.add(event(guest, now, "seq_gap", null, null, seq, "seq gap: " + guest.lastSeq + " -> " + seq
                    + " (" + lost + " message" + (lost == 1 ? "" : "s") + " lost)"));
        } else if (guest.lastSeq > 0 && seq <= guest.lastSeq) {
            guest.restarts++;
            events.add(event(guest, now, "restart", null, null, seq,
                    "seq went back from " + guest.lastSeq + " to " + seq + " (the agent restarted)"));
        }
        guest.lastSeq = seq;
    }

    private void lifecycle(Guest guest, JsonNode payload, String previousState, long seq, Instant now, List<FleetEvent> events) {
        String state = payload.path("state").asText();
        String message = payload.path("message").asText("");
        String from = guest.state != null ? guest.state : previousState;
        if (!state.equals(guest.state) || !message.equals(guest.message)) {
            if (isHealthFlip(from, state)) {
                guest.healthFlips++;
            }
            events.add(event(guest, now, "state", from, state, seq, (from == null ? "(first seen)" : from) + " -> "
                    + state + (message.isEmpty() ? "" : " (" + message + ")"), message));
        }
        guest.state = state;
        guest.message = message;
    }

    /** Between healthy and degraded: what flapping is made of (booting and shutdown are not). */
    private static boolean isHealthFlip(String from, String to) {
        return ("healthy".equals(from) && "degraded".equals(to)) || ("degraded".equals(from) && "healthy".equals(to));
    }

    private void overview(Guest guest, JsonNode payload) {
        try {
            guest.overview = JSON.writeValueAsBytes(payload);
        } catch (java.io.IOException e) {
            guest.overview = null;
        }
        guest.overviewStatus = payload.path("status").asText(null);
        int healthy = 0;
        for (JsonNode service : payload.path("services")) {
            if (service.path("healthy").asBoolean(false)) {
                healthy++;
            }
        }
        guest.healthyUnits = healthy;
        guest.gpus = payload.path("gpus").isArray() ? payload.path("gpus").size() : -1;
    }

    private static FleetEvent event(Guest guest, Instant now, String kind, String from, String to, long seq, String text) {
        return event(guest, now, kind, from, to, seq, text, null);
    }

    private static FleetEvent event(Guest guest, Instant now, String kind, String from, String to, long seq, String text,
                                    String message) {
        return new FleetEvent(now, kind, guest.key, guest.key.name(guest.duplicate), from, to, message, seq, text);
    }

    private static String brief(String instance) {
        return instance.isEmpty() ? "(none)" : instance.substring(0, Math.min(8, instance.length()));
    }
}
