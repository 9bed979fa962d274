package ai.chutes.status.systemd;

import ai.chutes.status.metrics.Snapshots;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Context;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;

/**
 * The unit series, in node_exporter's shape so node-mixin's systemd rules port by changing the metric
 * name only: {@code system_status_unit_state{name,state,type}} one-hot over node_exporter's state set
 * (plus our {@code service} id), and {@code system_status_unit_restarts_total{name,type}} like
 * {@code node_systemd_service_restart_total}. An ActiveState outside the set (e.g. {@code reloading},
 * {@code maintenance}) gets its own series at 1 rather than leaving every series at 0. A unit whose
 * state could not be read has no state or restart series, and counts as unhealthy.
 */
@Context
final class UnitMetrics implements MultiCollector {

    /** node_exporter's systemd collector state set (collector/systemd_linux.go unitStatesName). */
    static final List<String> ACTIVE_STATES = List.of("activating", "active", "deactivating", "failed", "inactive");

    private final UnitTelemetry telemetry;

    UnitMetrics(UnitTelemetry telemetry, PrometheusMeterRegistry registry) {
        this.telemetry = telemetry;
        registry.getPrometheusRegistry().register(this);
    }

    @Override
    public MetricSnapshots collect() {
        List<ServiceCheck> checks = telemetry.latest().orElse(List.of());
        Snapshots state = Snapshots.gauge("system_status_unit_state",
                "1 for the unit's ActiveState, 0 for the others of node_exporter's set (node_systemd_unit_state's shape)");
        Snapshots healthy = Snapshots.gauge("system_status_unit_healthy", "1 when the unit passes its health rule, else 0");
        Snapshots restarts = Snapshots.counter("system_status_unit_restarts",
                "Times systemd restarted the unit (NRestarts; node_systemd_service_restart_total's shape)");
        for (ServiceCheck check : checks) {
            String service = check.service().id();
            String name = check.service().unit();
            String type = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
            healthy.point(check.healthy() ? 1 : 0, "service", service, "name", name, "type", type);
            UnitStatus status = check.status();
            if (status == null) {
                continue;
            }
            for (String active : ACTIVE_STATES) {
                state.point(active.equals(status.activeState()) ? 1 : 0, "service", service, "name", name, "state", active, "type", type);
            }
            if (status.activeState() != null && !ACTIVE_STATES.contains(status.activeState())) {
                state.point(1, "service", service, "name", name, "state", status.activeState(), "type", type);
            }
            restarts.point(status.nRestarts(), "service", service, "name", name, "type", type);
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (Snapshots family : List.of(state, healthy, restarts)) {
            if (!family.isEmpty()) {
                out.metricSnapshot(family.build());
            }
        }
        return out.build();
    }
}
