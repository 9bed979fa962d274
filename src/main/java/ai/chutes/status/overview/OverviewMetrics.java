package ai.chutes.status.overview;

import ai.chutes.status.gpu.GpuTelemetry;
import ai.chutes.status.metrics.Snapshots;
import ai.chutes.status.systemd.UnitTelemetry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Context;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * {@code system_status_overview_ok}: {@link HealthVerdict}'s answer, the same as {@code /overview}'s,
 * over the latest unit and GPU collections the other series show.
 */
@Context
final class OverviewMetrics implements MultiCollector {

    private final UnitTelemetry units;
    private final GpuTelemetry gpus;

    OverviewMetrics(UnitTelemetry units, GpuTelemetry gpus, PrometheusMeterRegistry registry) {
        this.units = units;
        this.gpus = gpus;
        registry.getPrometheusRegistry().register(this);
    }

    @Override
    public MetricSnapshots collect() {
        HealthVerdict verdict = HealthVerdict.of(units.latest().orElse(null), gpus.latest().orElse(null));
        return MetricSnapshots.of(Snapshots.gauge("system_status_overview_ok",
                "1 when /overview would say ok (HealthVerdict: units healthy, GPU query ok, no GPU fault), else 0")
                .point(verdict.ok() ? 1 : 0).build());
    }
}
