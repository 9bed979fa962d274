package ai.chutes.status.gpu;

import ai.chutes.status.metrics.MetricsSettings;
import ai.chutes.status.metrics.ThrottledCollection;
import jakarta.inject.Singleton;

/**
 * The GPU query as the metrics show it: collected at most once per {@code status.metrics.min-interval},
 * independently of the units, so a hung nvidia-smi never holds up the unit metrics.
 */
@Singleton
public final class GpuTelemetry extends ThrottledCollection<GpuQuery> {

    GpuTelemetry(GpuQueryReader reader, MetricsSettings settings) {
        super("GPU", reader::query, settings.minInterval(), System::nanoTime);
    }
}
