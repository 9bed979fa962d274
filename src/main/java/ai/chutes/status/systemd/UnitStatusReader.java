package ai.chutes.status.systemd;

import ai.chutes.status.command.CommandErrors;
import ai.chutes.status.command.CommandRequest;
import ai.chutes.status.command.CommandRunner;
import ai.chutes.status.command.Commands;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads one allowlisted unit's state through the runner and applies the health rule. */
@Singleton
public final class UnitStatusReader {

    private final CommandRunner runner;

    public UnitStatusReader(CommandRunner runner) {
        this.runner = runner;
    }

    /** Checks every entry at once; the list is in the entries' order, and one failure never fails the rest. */
    public CompletableFuture<List<ServiceCheck>> checkAll(Collection<ServiceEntry> entries) {
        List<CompletableFuture<ServiceCheck>> checks = entries.stream().map(this::check).toList();
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> checks.stream().map(CompletableFuture::join).toList());
    }

    public CompletableFuture<ServiceCheck> check(ServiceEntry entry) {
        ServiceRef ref = ServiceRef.of(entry);
        CommandRequest request = Commands.unitStatus(entry.unit());
        return runner.run(request).thenApply(result ->
                CommandErrors.describe(result)
                        .map(error -> new ServiceCheck(ref, null, false, error))
                        .orElseGet(() -> {
                            UnitStatus status = SystemctlShowParser.parse(result.stdout().text());
                            return new ServiceCheck(ref, status, HealthRule.healthy(entry, status), null);
                        }))
                .exceptionally(failure -> new ServiceCheck(ref, null, false, CommandErrors.notRun(request, failure)));
    }
}
