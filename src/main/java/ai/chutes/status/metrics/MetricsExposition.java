package ai.chutes.status.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Prometheus text of every meter on the registry: Micrometer's (JVM, process) and the meters each
 * subsystem registered there itself (see package-info). Before a scrape, every subsystem's
 * {@link ThrottledCollection} is brought up to date where its interval allows.
 */
@Singleton
public final class MetricsExposition {

    /** The Prometheus text format {@link PrometheusMeterRegistry#scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * How long a scrape waits for a collection in flight before it answers with the last finished one:
     * short enough that a scrape answers well within a second even while nvidia-smi hangs, long enough
     * for a healthy --query-gpu (7-70 ms) and a round of systemctl calls.
     */
    static final Duration SCRAPE_WAIT = Duration.ofMillis(500);

    private final PrometheusMeterRegistry registry;
    private final List<ThrottledCollection<?>> collections;

    MetricsExposition(PrometheusMeterRegistry registry, List<ThrottledCollection<?>> collections) {
        this.registry = registry;
        this.collections = List.copyOf(collections);
    }

    /** Brings every collection up to date where the interval allows; completes within {@link #SCRAPE_WAIT}. */
    public CompletableFuture<Void> refresh() {
        return CompletableFuture.allOf(collections.stream().map(collection -> collection.refresh(SCRAPE_WAIT))
                .toArray(CompletableFuture[]::new));
    }

    public String scrape() {
        return registry.scrape();
    }
}
