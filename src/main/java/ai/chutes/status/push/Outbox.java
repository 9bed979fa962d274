package ai.chutes.status.push;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the agent and a possibly slow or absent host. The newest overview replaces
 * an unsent older one; lifecycle changes and replies to the host are kept in order up to a small bound
 * (the oldest is dropped beyond it). Memory therefore stays constant however long the host is away.
 */
final class Outbox {

    static final int MAX_LIFECYCLE = 16;
    static final int MAX_REPLIES = 64;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Outgoing> replies = new ArrayDeque<>();
    private final ArrayDeque<Outgoing> lifecycle = new ArrayDeque<>();
    private Outgoing overview;
    private long dropped;

    void offerReply(Outgoing message) {
        add(replies, MAX_REPLIES, message);
    }

    void offerLifecycle(Outgoing message) {
        add(lifecycle, MAX_LIFECYCLE, message);
    }

    void offerOverview(Outgoing message) {
        lock.lock();
        try {
            if (overview != null) {
                dropped++;
            }
            overview = message;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next message, replies first, then lifecycle, then the overview; null after {@code wait}. */
    Outgoing poll(Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            while (isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            if (!replies.isEmpty()) {
                return replies.poll();
            }
            if (!lifecycle.isEmpty()) {
                return lifecycle.poll();
            }
            Outgoing next = overview;
            overview = null;
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets queued state and replies: a new connection starts with the current state instead. */
    void clear() {
        lock.lock();
        try {
            replies.clear();
            lifecycle.clear();
            overview = null;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return replies.size() + lifecycle.size() + (overview == null ? 0 : 1);
        } finally {
            lock.unlock();
        }
    }

    /** Messages replaced or pushed out before they could be sent. */
    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    private boolean isEmpty() {
        return replies.isEmpty() && lifecycle.isEmpty() && overview == null;
    }

    private void add(ArrayDeque<Outgoing> queue, int bound, Outgoing message) {
        lock.lock();
        try {
            if (queue.size() >= bound) {
                queue.poll();
                dropped++;
            }
            queue.add(message);
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
