package ai.chutes.status.systemd;

import ai.chutes.status.metrics.MetricsSettings;
import ai.chutes.status.metrics.ThrottledCollection;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The status of every allowlisted unit as the metrics show it: collected at most once per
 * {@code status.metrics.min-interval}, independently of the GPU query.
 */
@Singleton
public final class UnitTelemetry extends ThrottledCollection<List<ServiceCheck>> {

    UnitTelemetry(UnitStatusReader reader, ServiceAllowlist allowlist, MetricsSettings settings) {
        super("unit", () -> reader.checkAll(allowlist.entries()), settings.minInterval(), System::nanoTime);
    }
}
