package ai.chutes.status.push;

import java.util.function.LongFunction;

/**
 * A message waiting to be written. Sequenced messages (lifecycle, overview) get their {@code seq} only
 * when written, so a message replaced in the queue leaves no gap and a gap always means a real loss.
 */
record Outgoing(String type, boolean sequenced, LongFunction<Object> payload) {

    static Outgoing unsequenced(String type, Object payload) {
        return new Outgoing(type, false, seq -> payload);
    }
}
