package ai.chutes.status.metrics;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection (a set of commands and the parsing of their output) that starts at most once per
 * minimum interval and never while the previous one still runs: concurrent callers share the one in
 * flight. {@link #latest()} is the newest finished result: what a scrape shows. A subsystem's
 * collection is a bean of a subclass in its own package; every scrape refreshes all of them
 * ({@link MetricsExposition#refresh()}).
 */
public class ThrottledCollection<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ThrottledCollection.class);

    private final String name;
    private final Supplier<CompletableFuture<T>> collect;
    private final long minIntervalNanos;
    private final LongSupplier nanoTime;
    private CompletableFuture<T> current;
    private long startedAt;
    private volatile T latest;

    protected ThrottledCollection(String name, Supplier<CompletableFuture<T>> collect, Duration minInterval, LongSupplier nanoTime) {
        this.name = name;
        this.collect = collect;
        this.minIntervalNanos = minInterval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Starts a collection when none runs and the last one started at least the minimum interval ago,
     * then completes once the current collection has finished or {@code wait} after it started,
     * whichever is first: a scrape during a hang that began earlier answers at once instead of
     * waiting again. Never fails: afterwards {@link #latest()} holds whatever is known.
     */
    public CompletableFuture<Void> refresh(Duration wait) {
        CompletableFuture<T> running;
        long left;
        synchronized (this) {
            running = currentOrNew();
            left = wait.toNanos() - (nanoTime.getAsLong() - startedAt);
        }
        if (running.isDone() || left <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return running.handle((value, failure) -> (Void) null).completeOnTimeout(null, left, TimeUnit.NANOSECONDS);
    }

    /** The newest finished result; empty before the first one, or when the newest one failed. */
    public Optional<T> latest() {
        return Optional.ofNullable(latest);
    }

    private synchronized CompletableFuture<T> currentOrNew() {
        long now = nanoTime.getAsLong();
        if (current == null || (current.isDone() && now - startedAt >= minIntervalNanos)) {
            startedAt = now;
            current = start();
        }
        return current;
    }

    private CompletableFuture<T> start() {
        CompletableFuture<T> started;
        try {
            started = collect.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        // latest is set before the returned future completes, so a caller that saw it complete reads it.
        return started.handle((value, failure) -> {
            if (failure != null) {
                LOG.error("the {} collection failed", name, failure);
            }
            latest = value;
            return value;
        });
    }
}
