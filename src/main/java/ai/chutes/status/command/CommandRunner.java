package ai.chutes.status.command;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way to run a command. Identical requests already in flight share one process; a finished
 * result is reused for {@code status.cache-ttl}; at most {@code status.max-concurrent-commands}
 * processes run at once (one per worker thread), and a bounded queue holds the rest. Each run that
 * really happened is reported once to the {@link CommandRunListener}s (the per-command metrics); every
 * request, run or not, is told to the {@link CommandTrail}s (the audit log).
 */
@Singleton
public final class CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    private static final int QUEUE_CAPACITY = 256;
    /** A flood of refusals is logged as one line per this period, with its count. */
    private static final long REFUSAL_LOG_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RunnerSettings settings;
    private final CommandSlots processSlots;
    private final ExecutorService pipeDrainers;
    private final ProcessLauncher launcher;
    private final AsyncCache<CommandRequest, CommandResult> recentResults;
    private final List<CommandRunListener> listeners;
    private final List<CommandTrail> trails;
    private final List<OutputFilter> outputFilters;
    private final AtomicInteger refusedUnlogged = new AtomicInteger();
    private final AtomicLong refusalLoggedAt = new AtomicLong(System.nanoTime() - REFUSAL_LOG_PERIOD_NANOS);

    public CommandRunner(RunnerSettings settings, List<CommandRunListener> listeners, List<CommandTrail> trails,
                         List<OutputFilter> outputFilters) {
        this.settings = settings;
        this.listeners = List.copyOf(listeners);
        this.trails = List.copyOf(trails);
        this.outputFilters = List.copyOf(outputFilters);
        int slots = settings.maxConcurrentCommands();
        this.processSlots = new CommandSlots(slots, QUEUE_CAPACITY, Duration.ofSeconds(30), daemonThreads("command-"));
        this.pipeDrainers = Executors.newCachedThreadPool(daemonThreads("command-pipe-"));
        this.launcher = new ProcessLauncher(pipeDrainers);
        // In-flight futures never expire in Caffeine; the TTL starts when a result is complete.
        this.recentResults = Caffeine.newBuilder()
                .expireAfterWrite(settings.cacheTtl())
                .maximumSize(1024)
                .buildAsync();
    }

    /**
     * Runs the request, or joins an identical run in flight, or returns a result younger than the TTL.
     * The returned future is the caller's own copy: cancelling it never affects other waiters.
     */
    public CompletableFuture<CommandResult> run(CommandRequest request) {
        for (CommandTrail trail : trails) {
            trail.asked(request);
        }
        return shared(request);
    }

    /**
     * Runs the command that {@code next} builds from {@code first}'s answer, listed in the trails of the
     * caller asking now (the audit record of this request), not of whichever thread finishes {@code first}.
     * When {@code next} gives null there is nothing to run, and the result is null.
     */
    public <T> CompletableFuture<CommandResult> runAfter(CompletableFuture<T> first, java.util.function.Function<T, CommandRequest> next) {
        List<CommandTrail> callers = trails.stream().map(CommandTrail::current).toList();
        return first.thenCompose(answer -> {
            CommandRequest request = next.apply(answer);
            if (request == null) {
                return CompletableFuture.<CommandResult>completedFuture(null);
            }
            callers.forEach(trail -> trail.asked(request));
            return shared(request);
        });
    }

    /**
     * A refusal is thrown by the cache's loader rather than cached as a failed future: Caffeine logs
     * every failed future it holds with a stack trace, and a full queue is already logged here once.
     */
    private CompletableFuture<CommandResult> shared(CommandRequest request) {
        try {
            return recentResults.get(request, (key, ignored) -> start(key)).copy();
        } catch (RunnerBusyException busy) {
            return CompletableFuture.failedFuture(busy);
        }
    }

    private CompletableFuture<CommandResult> start(CommandRequest request) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                CommandResult result = filtered(launcher.run(request, settings.binary(request.program()),
                        settings.commandTimeout(), settings.maxOutputBytes()));
                LOG.debug("{} {} in {} ms", request.displayArgv(), result.outcome().label(), result.duration().toMillis());
                tell(result);
                return result;
            }, processSlots);
        } catch (RejectedExecutionException e) {
            logRefusal(request);
            throw new RunnerBusyException();
        }
    }

    private void logRefusal(CommandRequest request) {
        int refused = refusedUnlogged.incrementAndGet();
        long last = refusalLoggedAt.get();
        long now = System.nanoTime();
        if (now - last >= REFUSAL_LOG_PERIOD_NANOS && refusalLoggedAt.compareAndSet(last, now)) {
            refusedUnlogged.addAndGet(-refused);
            LOG.warn("command queue is full; {} command(s) refused since the last such line (one per {} s at most), the latest {}",
                    refused, TimeUnit.NANOSECONDS.toSeconds(REFUSAL_LOG_PERIOD_NANOS), request.displayArgv());
        }
    }

    /** Filters (redacts) the output once per run, so cached and shared results are filtered already. */
    private CommandResult filtered(CommandResult result) {
        if (outputFilters.isEmpty()) {
            return result;
        }
        return new CommandResult(result.request(), result.outcome(), result.exitCode(), filtered(result.stdout()),
                filtered(result.stderr()), result.duration(), result.timeout());
    }

    private CapturedStream filtered(CapturedStream stream) {
        String text = stream.text();
        String filtered = text;
        for (OutputFilter filter : outputFilters) {
            filtered = filter.filter(filtered);
        }
        return filtered.equals(text) ? stream
                : new CapturedStream(filtered.getBytes(StandardCharsets.UTF_8), stream.truncated(), stream.totalBytes());
    }

    private void tell(CommandResult result) {
        for (CommandRunListener listener : listeners) {
            try {
                listener.finished(result);
            } catch (RuntimeException e) {
                LOG.error("a command run listener failed; the run's result is unaffected", e);
            }
        }
    }

    @PreDestroy
    void close() {
        processSlots.shutdownNow();
        pipeDrainers.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
