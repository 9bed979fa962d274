package ai.chutes.collector;

import java.time.Instant;

/** What the collector keeps of one guest; guarded by its {@link Fleet}'s lock. */
final class Guest {

    final GuestKey key;
    String state;
    String message = "";
    Instant lastMessage;
    long lastSeq;
    long seqGaps;
    long messagesLost;
    long restarts;
    long healthFlips;
    int connections;
    boolean silent;
    boolean duplicate;
    /** The latest overview's payload as sent (at most one 1 MiB line), and what the metrics take from it. */
    byte[] overview;
    String overviewStatus;
    int healthyUnits = -1;
    int gpus = -1;

    Guest(GuestKey key, Instant now) {
        this.key = key;
        this.lastMessage = now;
    }

    View view(Instant now) {
        return new View(key, state, message, lastMessage, now.toEpochMilli() - lastMessage.toEpochMilli(), lastSeq,
                seqGaps, messagesLost, restarts, healthFlips, connections > 0, silent, duplicate, overviewStatus,
                healthyUnits, gpus, overview);
    }

    /** A copy taken under the fleet's lock, for the HTTP answers and the metrics. */
    record View(GuestKey key, String state, String message, Instant lastMessage, long ageMillis, long seq,
                long seqGaps, long messagesLost, long restarts, long healthFlips, boolean connected, boolean silent,
                boolean duplicate, String overviewStatus, int healthyUnits, int gpus, byte[] overview) {
    }
}
