package ai.chutes.status.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Singleton;

/**
 * The Prometheus text of every meter: Micrometer's (JVM, process, commands, and whatever other parts of
 * the agent register on the {@code MeterRegistry}) and the GPU and unit families, which are registered
 * here on the same Prometheus registry.
 */
@Singleton
public final class MetricsExposition {

    /** The Prometheus text format {@link PrometheusMeterRegistry#scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsExposition(PrometheusMeterRegistry registry, GpuMetrics gpus, UnitMetrics units) {
        this.registry = registry;
        registry.getPrometheusRegistry().register(gpus);
        registry.getPrometheusRegistry().register(units);
    }

    public String scrape() {
        return registry.scrape();
    }
}
