package ai.chutes.status.metrics;

import ai.chutes.status.gpu.GpuQuery;
import ai.chutes.status.gpu.GpuQueryReader;
import ai.chutes.status.systemd.ServiceAllowlist;
import ai.chutes.status.systemd.ServiceCheck;
import ai.chutes.status.systemd.UnitStatusReader;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the metrics show about the host: the GPU query and the status of every allowlisted unit, each
 * collected at most once per {@code status.metrics.min-interval} and independently of the other, so a
 * hung nvidia-smi never holds up the unit metrics.
 */
@Singleton
public final class HostTelemetry {

    /**
     * How long a scrape waits for a collection in flight before it answers with the last finished one:
     * short enough that a scrape answers well within a second even while nvidia-smi hangs, long enough
     * for a healthy --query-gpu (7-70 ms) and a round of systemctl calls.
     */
    static final Duration SCRAPE_WAIT = Duration.ofMillis(500);

    private final ThrottledCollection<GpuQuery> gpus;
    private final ThrottledCollection<List<ServiceCheck>> units;

    HostTelemetry(GpuQueryReader gpuReader, UnitStatusReader unitReader, ServiceAllowlist allowlist, MetricsSettings settings) {
        this.gpus = new ThrottledCollection<>("GPU", gpuReader::query, settings.minInterval(), System::nanoTime);
        this.units = new ThrottledCollection<>("unit", () -> unitReader.checkAll(allowlist.entries()), settings.minInterval(), System::nanoTime);
    }

    /** Brings both collections up to date where the interval allows; completes within {@link #SCRAPE_WAIT}. */
    public CompletableFuture<Void> refresh() {
        return CompletableFuture.allOf(gpus.refresh(SCRAPE_WAIT), units.refresh(SCRAPE_WAIT));
    }

    Optional<GpuQuery> gpus() {
        return gpus.latest();
    }

    Optional<List<ServiceCheck>> units() {
        return units.latest();
    }
}
