package ai.chutes.status.metrics;

import ai.chutes.status.gpu.GpuQuery;
import ai.chutes.status.systemd.ServiceCheck;
import ai.chutes.status.systemd.UnitStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * The unit series, shaped like node_exporter's {@code node_systemd_unit_state}: one-hot over the
 * active states, plus health, restarts and the overall verdict. A unit whose state could not be read
 * has no state or restart series, and counts as unhealthy.
 */
@Singleton
final class UnitMetrics implements MultiCollector {

    static final List<String> ACTIVE_STATES = List.of("active", "activating", "deactivating", "inactive", "failed", "reloading");

    private final HostTelemetry telemetry;

    UnitMetrics(HostTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public MetricSnapshots collect() {
        List<ServiceCheck> checks = telemetry.units().orElse(List.of());
        Snapshots state = Snapshots.gauge("system_status_unit_state", "1 for the unit's active state, 0 for the others");
        Snapshots healthy = Snapshots.gauge("system_status_unit_healthy", "1 when the unit passes its health rule, else 0");
        Snapshots restarts = Snapshots.counter("system_status_unit_restarts", "Times systemd restarted the unit (NRestarts)");
        for (ServiceCheck check : checks) {
            String service = check.service().id();
            String unit = check.service().unit();
            healthy.point(check.healthy() ? 1 : 0, "service", service, "unit", unit);
            UnitStatus status = check.status();
            if (status == null) {
                continue;
            }
            for (String active : ACTIVE_STATES) {
                state.point(active.equals(status.activeState()) ? 1 : 0, "service", service, "unit", unit, "state", active);
            }
            restarts.point(status.nRestarts(), "service", service, "unit", unit);
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (Snapshots family : List.of(state, healthy, restarts)) {
            if (!family.isEmpty()) {
                out.metricSnapshot(family.build());
            }
        }
        out.metricSnapshot(Snapshots.gauge("system_status_overview_ok",
                "1 when every unit is healthy and the last nvidia-smi query succeeded (the /overview rule), else 0")
                .point(overviewOk(telemetry.units(), telemetry.gpus()) ? 1 : 0).build());
        return out.build();
    }

    private static boolean overviewOk(Optional<List<ServiceCheck>> units, Optional<GpuQuery> gpus) {
        return units.isPresent() && units.get().stream().allMatch(ServiceCheck::healthy)
                && gpus.filter(GpuQuery::ok).isPresent();
    }
}
