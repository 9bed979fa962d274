package ai.chutes.status.push;

import ai.chutes.status.overview.Overview;
import ai.chutes.status.overview.OverviewSnapshots;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code status.push.interval}: refreshes the overview snapshot (the one {@code /overview}
 * serves) and pushes it. Whenever any refresh, this one's or a reader's, sees health that differs from
 * the last pushed, the new lifecycle state and that overview are pushed at once. Announces
 * {@code ready} once the HTTP server listens.
 *
 * <p>It owns its timer instead of using {@code @Scheduled}: Micronaut looks a scheduled bean up again
 * on every run, and a run racing the context's shutdown re-created the push channel after it had
 * already said {@code shutdown}.
 */
@Singleton
@Requires(property = "status.push.enabled", notEquals = "false")
public final class PushScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(PushScheduler.class);

    private final PushChannel channel;
    private final OverviewSnapshots overviews;
    private final PushSettings settings;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "push-scheduler");
        thread.setDaemon(true);
        return thread;
    });
    private HealthChange lastPushed;
    private Overview lastOverviewPushed;

    public PushScheduler(PushChannel channel, OverviewSnapshots overviews, PushSettings settings) {
        this.channel = channel;
        this.overviews = overviews;
        this.settings = settings;
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        channel.lifecycle(LifecycleState.READY, "serving the status API");
        overviews.onSnapshot(snapshot -> pushIfChanged(snapshot.overview()));
        timer.execute(this::tick);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    /**
     * One push, then the next one an interval after this one began (not after it ended): a change is
     * pushed at most one interval plus one overview after it happens. A tick that overran its interval
     * is followed at once, and missed ticks are not made up in a burst.
     */
    private void tick() {
        long began = System.nanoTime();
        try {
            push(overviews.refresh().get().overview());
        } catch (ExecutionException e) {
            LOG.error("push: could not take the overview", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.error("push: scheduled push failed", e);
        }
        long next = Math.max(0, settings.interval().toNanos() - (System.nanoTime() - began));
        try {
            timer.schedule(this::tick, next, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // The context is closing: no more ticks.
        }
    }

    /** The heartbeat: this interval's overview, unless a state change pushed it already. */
    private synchronized void push(Overview overview) {
        pushIfChanged(overview);
        if (overview != lastOverviewPushed && channel.state() != LifecycleState.SHUTDOWN) {
            channel.overview(overview);
            lastOverviewPushed = overview;
        }
    }

    private synchronized void pushIfChanged(Overview overview) {
        if (channel.state() == LifecycleState.SHUTDOWN) {
            return;
        }
        HealthChange health = HealthChange.of(overview);
        if (!health.equals(lastPushed)) {
            LOG.info("push: state {} ({})", health.state().wireName(), health.message());
            channel.lifecycle(health.state(), health.message());
            lastPushed = health;
            channel.overview(overview);
            lastOverviewPushed = overview;
        }
    }
}
