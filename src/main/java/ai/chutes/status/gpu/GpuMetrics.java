package ai.chutes.status.gpu;

import ai.chutes.status.metrics.Snapshots;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.context.annotation.Context;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The GPU series, as nvidia_gpu_exporter serves them for the same nvidia-smi, so its Grafana dashboards
 * and alert rules work unchanged: one series per queried field per GPU (label {@code uuid}, the
 * exporter's form), named and scaled by {@link ExporterNaming}, plus {@code nvidia_smi_gpu_info}, the XID
 * counters and the collector's own success, duration and exit code. A value nvidia-smi could not give
 * is left out, never 0. As in the exporter, a name two fields would share, or one of the collector's own
 * names, is left out rather than shown with one field's value; so are the few exporter names
 * {@code promtool check metrics} rejects ({@link ExporterNaming#lintClean}).
 */
@Context
final class GpuMetrics implements MultiCollector {

    private static final Set<String> OWN = Set.of("nvidia_smi_gpu_info", "nvidia_smi_last_collect_success",
            "nvidia_smi_last_collect_duration_seconds", "nvidia_smi_command_exit_code", "nvidia_smi_failed_scrapes_total",
            "nvidia_smi_last_collect_success_timestamp_seconds", "nvidia_smi_xid_errors_total",
            "nvidia_smi_xid_last_timestamp_seconds");

    private final GpuTelemetry telemetry;

    GpuMetrics(GpuTelemetry telemetry, PrometheusMeterRegistry registry) {
        this.telemetry = telemetry;
        registry.getPrometheusRegistry().register(this);
    }

    @Override
    public MetricSnapshots collect() {
        Optional<GpuQuery> latest = telemetry.latest();
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        out.metricSnapshot(Snapshots.gauge("nvidia_smi_last_collect_success",
                "1 when the last nvidia-smi query exited 0, else 0 (failed, timed out, missing, or none finished yet)")
                .point(latest.filter(GpuQuery::ok).isPresent() ? 1 : 0).build());
        if (latest.isEmpty()) {
            return out.build();
        }
        GpuQuery query = latest.get();
        out.metricSnapshot(Snapshots.gauge("nvidia_smi_last_collect_duration_seconds",
                "How long the last nvidia-smi query took").point(query.duration().toNanos() / 1e9).build());
        out.metricSnapshot(Snapshots.gauge("nvidia_smi_command_exit_code",
                "Exit status of the last nvidia-smi query; -1 when it did not exit (timed out, missing, not run)")
                .point(query.exitCode() == null ? -1 : query.exitCode()).build());
        GpuInfo.family(query.table()).ifPresent(out::metricSnapshot);
        fieldFamilies(query.table()).values().stream().filter(family -> !family.isEmpty())
                .forEach(family -> out.metricSnapshot(family.build()));
        XidSeries.families(query).forEach(out::metricSnapshot);
        return out.build();
    }

    /** One family per usable column, in query order, with a point per GPU that has a reading. */
    private static Map<String, Snapshots> fieldFamilies(GpuTable table) {
        Map<String, Integer> claims = new HashMap<>();
        for (String header : table.headers()) {
            claims.merge(ExporterNaming.name(header).name(), 1, Integer::sum);
        }
        Map<String, Snapshots> families = new LinkedHashMap<>();
        for (int i = 0; i < table.headers().size(); i++) {
            String field = table.fields().get(i);
            ExporterNaming.MetricName metric = ExporterNaming.name(table.headers().get(i));
            if (OWN.contains(metric.name()) || claims.get(metric.name()) > 1 || !ExporterNaming.lintClean(metric.name())) {
                continue;
            }
            String help = GpuFieldTable.field(field).map(GpuField::help).orElse(table.headers().get(i));
            Snapshots family = metric.name().endsWith("_total")
                    ? Snapshots.counter(metric.name().substring(0, metric.name().length() - "_total".length()), help)
                    : Snapshots.gauge(metric.name(), help);
            for (Map<String, String> row : table.rows()) {
                String uuid = row.get("uuid");
                if (uuid == null || uuid.isEmpty()) {
                    continue;
                }
                family.point(ExporterNaming.value(field, row.get(field), metric.multiplier()),
                        "uuid", ExporterNaming.uuidLabel(uuid));
            }
            families.put(metric.name(), family);
        }
        return families;
    }
}
