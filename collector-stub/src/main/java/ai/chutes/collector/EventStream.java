package ai.chutes.collector;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans the fleet's events out to {@code GET /events} followers, each through a bounded queue: a
 * follower that falls {@link #QUEUE} events behind is cut off (and reconnects), so a slow reader never
 * holds memory or slows the collector. At most {@link #MAX_FOLLOWERS} follow at once.
 */
final class EventStream {

    static final int MAX_FOLLOWERS = 16;
    static final int QUEUE = 4096;

    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
    private final AtomicLong cutOff = new AtomicLong();

    /** A follower's queue of NDJSON lines; {@link #next} returns null once it was cut off. */
    final class Follower implements AutoCloseable {
        private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean overflowed;

        String next(long timeoutMillis) throws InterruptedException {
            return overflowed ? null : lines.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        boolean overflowed() {
            return overflowed;
        }

        @Override
        public void close() {
            followers.remove(this);
        }
    }

    /** A new follower, or null when {@link #MAX_FOLLOWERS} already follow. */
    synchronized Follower follow() {
        if (followers.size() >= MAX_FOLLOWERS) {
            return null;
        }
        Follower follower = new Follower();
        followers.add(follower);
        return follower;
    }

    void publish(FleetEvent event) {
        if (followers.isEmpty() || !event.streamed()) {
            return;
        }
        String line = event.json();
        for (Follower follower : followers) {
            if (!follower.lines.offer(line)) {
                follower.overflowed = true;
                followers.remove(follower);
                cutOff.incrementAndGet();
            }
        }
    }

    int followers() {
        return followers.size();
    }

    long cutOff() {
        return cutOff.get();
    }
}
