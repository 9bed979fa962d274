package ai.chutes.status.metrics;

import ai.chutes.status.gpu.GpuQuery;
import ai.chutes.status.gpu.GpuSample;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The GPU series, under the names and labels of utkuozdemir/nvidia_gpu_exporter so that its Grafana
 * dashboard works unchanged: per GPU (label {@code uuid}) from the last finished GPU query, plus the
 * collector's own success, duration and exit code. A GPU without a UUID cannot be labelled and is left
 * out; a field that is unknown for a GPU is left out for that GPU only.
 */
@Singleton
final class GpuMetrics implements MultiCollector {

    private static final List<Field> FIELDS = List.of(
            gauge("nvidia_smi_utilization_gpu_ratio", "GPU utilization over the last sample period, 0-1", GpuSample::utilizationGpuRatio),
            gauge("nvidia_smi_utilization_memory_ratio", "Memory controller utilization over the last sample period, 0-1", GpuSample::utilizationMemoryRatio),
            gauge("nvidia_smi_memory_total_bytes", "Total frame buffer memory", GpuSample::memoryTotalBytes),
            gauge("nvidia_smi_memory_used_bytes", "Used frame buffer memory", GpuSample::memoryUsedBytes),
            gauge("nvidia_smi_memory_free_bytes", "Free frame buffer memory", GpuSample::memoryFreeBytes),
            gauge("nvidia_smi_temperature_gpu", "GPU core temperature in degrees Celsius", GpuSample::temperatureGpuCelsius),
            gauge("nvidia_smi_power_draw_watts", "Power draw of the board", GpuSample::powerDrawWatts),
            gauge("nvidia_smi_enforced_power_limit_watts", "Power limit the driver enforces", GpuSample::enforcedPowerLimitWatts),
            gauge("nvidia_smi_clocks_current_sm_clock_hz", "Current SM clock", GpuSample::clocksSmHz),
            gauge("nvidia_smi_clocks_current_memory_clock_hz", "Current memory clock", GpuSample::clocksMemoryHz),
            gauge("nvidia_smi_clocks_current_graphics_clock_hz", "Current graphics clock", GpuSample::clocksGraphicsHz),
            gauge("nvidia_smi_pstate", "Performance state, 0 (maximum performance) to 15 (minimum)", GpuSample::pstate),
            counter("nvidia_smi_ecc_errors_corrected_volatile", "Corrected ECC errors since the last driver load", GpuSample::eccErrorsCorrectedVolatileTotal),
            counter("nvidia_smi_ecc_errors_uncorrected_volatile", "Uncorrected ECC errors since the last driver load", GpuSample::eccErrorsUncorrectedVolatileTotal),
            counter("nvidia_smi_ecc_errors_corrected_aggregate", "Corrected ECC errors over the GPU's lifetime", GpuSample::eccErrorsCorrectedAggregateTotal),
            counter("nvidia_smi_ecc_errors_uncorrected_aggregate", "Uncorrected ECC errors over the GPU's lifetime", GpuSample::eccErrorsUncorrectedAggregateTotal));

    private final HostTelemetry telemetry;

    GpuMetrics(HostTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public MetricSnapshots collect() {
        Optional<GpuQuery> latest = telemetry.gpus();
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
        List<GpuSample> gpus = query.gpus().stream().filter(gpu -> gpu.uuid() != null).toList();
        if (!gpus.isEmpty()) {
            out.metricSnapshot(info(gpus));
        }
        for (Field field : FIELDS) {
            Snapshots family = field.counter()
                    ? Snapshots.counter(field.name(), field.help())
                    : Snapshots.gauge(field.name(), field.help());
            gpus.forEach(gpu -> family.point(field.value().apply(gpu), "uuid", gpu.uuid()));
            if (!family.isEmpty()) {
                out.metricSnapshot(family.build());
            }
        }
        return out.build();
    }

    /** Printed as {@code nvidia_smi_gpu_info}: client_java appends {@code _info} to an info family's name. */
    private static InfoSnapshot info(List<GpuSample> gpus) {
        InfoSnapshot.Builder info = InfoSnapshot.builder().name("nvidia_smi_gpu")
                .help("A GPU and its identity; the value is always 1");
        for (GpuSample gpu : gpus) {
            info.dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of(
                    "uuid", gpu.uuid(),
                    "name", orEmpty(gpu.name()),
                    "index", gpu.index() == null ? "" : gpu.index().toString(),
                    "pci_bus_id", orEmpty(gpu.pciBusId()),
                    "driver_version", orEmpty(gpu.driverVersion()),
                    "vbios_version", orEmpty(gpu.vbiosVersion()),
                    "compute_cap", orEmpty(gpu.computeCap()))).build());
        }
        return info.build();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static Field gauge(String name, String help, Function<GpuSample, Number> value) {
        return new Field(name, help, value, false);
    }

    private static Field counter(String nameWithoutTotal, String help, Function<GpuSample, Number> value) {
        return new Field(nameWithoutTotal, help, value, true);
    }

    private record Field(String name, String help, Function<GpuSample, Number> value, boolean counter) {
    }
}
