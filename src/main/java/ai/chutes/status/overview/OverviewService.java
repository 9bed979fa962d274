package ai.chutes.status.overview;

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

/** Runs every check in parallel and folds them into ok/degraded; one failing check never fails the rest. */
@Singleton
public final class OverviewService {

    private final ServiceAllowlist allowlist;
    private final UnitStatusReader units;
    private final NvidiaSmiReader gpus;
    private final Clock clock = Clock.systemUTC();

    public OverviewService(ServiceAllowlist allowlist, UnitStatusReader units, NvidiaSmiReader gpus) {
        this.allowlist = allowlist;
        this.units = units;
        this.gpus = gpus;
    }

    public CompletableFuture<Overview> overview() {
        List<CompletableFuture<ServiceCheck>> checks = allowlist.entries().stream().map(units::check).toList();
        CompletableFuture<NvidiaSmiReport> gpu = gpus.report(false, OptionalInt.empty());
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenCombine(gpu, (ignored, report) -> {
            List<ServiceCheck> services = checks.stream().map(CompletableFuture::join).toList();
            boolean ok = report.ok() && services.stream().allMatch(ServiceCheck::healthy);
            return new Overview(ok ? "ok" : "degraded", services, report, clock.instant().toString());
        });
    }
}
