package ai.chutes.status.command;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's threads: at most {@code slots} commands at once and at most {@code backlog} waiting
 * (more is refused), and a new thread only when no idle one can take the command; a thread idle for
 * {@code keepAlive} ends. A plain {@link ThreadPoolExecutor} with core = max starts a thread for every
 * command until it has {@code slots} of them, so one refresh a second left 12 threads (and their
 * stacks, ~0.2 MiB each after the benchmark's loads) alive; a queue that hands a command to an idle
 * thread first keeps one or two. The queue-declines-while-threads-can-start idea is Tomcat's TaskQueue.
 */
final class CommandSlots extends ThreadPoolExecutor {

    /** Commands given to {@link #execute} and not yet finished: waiting or running. */
    private final AtomicInteger submitted = new AtomicInteger();
    private final IdleFirstQueue waiting;

    CommandSlots(int slots, int backlog, Duration keepAlive, ThreadFactory threads) {
        this(slots, new IdleFirstQueue(backlog), keepAlive, threads);
    }

    private CommandSlots(int slots, IdleFirstQueue waiting, Duration keepAlive, ThreadFactory threads) {
        super(0, slots, keepAlive.toNanos(), TimeUnit.NANOSECONDS, waiting, threads);
        this.waiting = waiting;
        waiting.slots = this;
    }

    @Override
    public void execute(Runnable command) {
        submitted.incrementAndGet();
        try {
            super.execute(command);
        } catch (RejectedExecutionException declined) {
            // The queue declined so that a thread would start, but the pool filled up meanwhile: wait instead.
            if (isShutdown() || !waiting.enqueue(command)) {
                submitted.decrementAndGet();
                throw declined;
            }
        }
    }

    @Override
    protected void afterExecute(Runnable command, Throwable failure) {
        submitted.decrementAndGet();
    }

    /** Takes a command when a thread is idle or none may start; otherwise declines, so one starts. */
    private static final class IdleFirstQueue extends LinkedBlockingQueue<Runnable> {

        private CommandSlots slots;

        IdleFirstQueue(int capacity) {
            super(capacity);
        }

        @Override
        public boolean offer(Runnable command) {
            // submitted counts this command too: at most as many as threads means one of them is free.
            if (slots.submitted.get() <= slots.getPoolSize() || slots.getPoolSize() >= slots.getMaximumPoolSize()) {
                return super.offer(command);
            }
            return false;
        }

        boolean enqueue(Runnable command) {
            return super.offer(command);
        }
    }
}
