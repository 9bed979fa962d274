package ai.chutes.status.systemd;

import ai.chutes.status.ErrorBody;
import ai.chutes.status.ErrorCode;
import ai.chutes.status.command.CommandErrors;
import ai.chutes.status.command.CommandRequest;
import ai.chutes.status.command.CommandRunner;
import ai.chutes.status.command.Commands;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Reads one allowlisted unit's state through the runner and applies the health rule. */
@Singleton
public final class UnitStatusReader {

    private final CommandRunner runner;

    public UnitStatusReader(CommandRunner runner) {
        this.runner = runner;
    }

    /**
     * Checks every entry with one {@code systemctl show} (one process, not one per unit); the list is in
     * the entries' order. Blocks are matched to units by position: an alias reports its target's
     * {@code Id}. When the command fails, each unit carries that error on its own; a unit without a
     * block of its own (output cut at the size cap) carries an error of its own and the rest are kept.
     * Uncut output with a different number of blocks cannot be matched, so every unit carries an error.
     */
    public CompletableFuture<List<ServiceCheck>> checkAll(Collection<ServiceEntry> entries) {
        List<ServiceEntry> ordered = List.copyOf(entries);
        if (ordered.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        CommandRequest request = Commands.unitStatuses(ordered.stream().map(ServiceEntry::unit).toList());
        return runner.run(request).thenApply(result -> {
            Optional<ErrorBody> failed = CommandErrors.describe(result);
            List<UnitStatus> blocks = failed.isPresent() ? List.of() : SystemctlShowParser.parseUnits(result.stdout().text());
            int usable = usableBlocks(blocks.size(), ordered.size(), result.stdout().truncated());
            List<ServiceCheck> checks = new ArrayList<>(ordered.size());
            for (int i = 0; i < ordered.size(); i++) {
                ServiceEntry entry = ordered.get(i);
                ServiceRef ref = ServiceRef.of(entry);
                if (failed.isPresent()) {
                    checks.add(new ServiceCheck(ref, null, false, failed.get()));
                } else if (i < usable) {
                    UnitStatus status = blocks.get(i);
                    checks.add(new ServiceCheck(ref, status, HealthRule.healthy(entry, status), null));
                } else {
                    checks.add(new ServiceCheck(ref, null, false, missingBlock(request)));
                }
            }
            return List.copyOf(checks);
        }).exceptionally(failure -> {
            ErrorBody error = CommandErrors.notRun(request, failure);
            return ordered.stream().map(entry -> new ServiceCheck(ServiceRef.of(entry), null, false, error)).toList();
        });
    }

    /** Blocks that surely belong to the unit at their position; the last of cut output may be partial. */
    static int usableBlocks(int blocks, int units, boolean truncated) {
        if (truncated) {
            return Math.min(units, Math.max(0, blocks - 1));
        }
        return blocks == units ? units : 0;
    }

    private static ErrorBody missingBlock(CommandRequest request) {
        return ErrorBody.ofCommand(ErrorCode.COMMAND_FAILED, "systemctl did not report this unit's state",
                request.displayArgv(), null, null);
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
