package ai.chutes.status.overview;

import ai.chutes.status.gpu.GpuQuery;
import ai.chutes.status.gpu.GpuQueryReader;
import ai.chutes.status.gpu.NvidiaSmiReader;
import ai.chutes.status.gpu.NvidiaSmiReport;
import ai.chutes.status.systemd.ServiceAllowlist;
import ai.chutes.status.systemd.ServiceCheck;
import ai.chutes.status.systemd.UnitStatusReader;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Runs every check in parallel and folds them into ok/degraded with {@link HealthVerdict}; one failing
 * check never fails the rest. The nvidia-smi summary is carried as text; the verdict reads the GPU query.
 */
@Singleton
public final class OverviewService {

    private final ServiceAllowlist allowlist;
    private final UnitStatusReader units;
    private final NvidiaSmiReader gpus;
    private final GpuQueryReader gpuQuery;
    private final Clock clock = Clock.systemUTC();

    public OverviewService(ServiceAllowlist allowlist, UnitStatusReader units, NvidiaSmiReader gpus, GpuQueryReader gpuQuery) {
        this.allowlist = allowlist;
        this.units = units;
        this.gpus = gpus;
        this.gpuQuery = gpuQuery;
    }

    public CompletableFuture<Overview> overview() {
        CompletableFuture<List<ServiceCheck>> checks = units.checkAll(allowlist.entries());
        CompletableFuture<NvidiaSmiReport> gpu = gpus.report(false, OptionalInt.empty());
        CompletableFuture<GpuQuery> samples = gpuQuery.query();
        return CompletableFuture.allOf(checks, gpu, samples).thenApply(ignored -> {
            List<ServiceCheck> services = checks.join();
            GpuQuery query = samples.join();
            HealthVerdict verdict = HealthVerdict.of(services, query);
            return new Overview(verdict.ok() ? "ok" : "degraded", verdict.reasons(), services, gpu.join(),
                    clock.instant().toString(), query.exited() ? query.gpus() : null);
        });
    }
}
