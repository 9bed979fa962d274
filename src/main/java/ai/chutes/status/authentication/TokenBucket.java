package ai.chutes.status.authentication;

/**
 * A classic token bucket: {@code burst} requests at once, refilled at {@code perSecond}. Callers are
 * served from several event-loop threads, hence synchronized (uncontended per caller in practice).
 */
final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long updated;

    TokenBucket(double perSecond, int burst, long now) {
        this.perNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.updated = now;
    }

    /** 0 when a request may go now (and takes its token), else the nanoseconds until one may. */
    synchronized long take(long now) {
        tokens = Math.min(capacity, tokens + (now - updated) * perNano);
        updated = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perNano);
    }
}
