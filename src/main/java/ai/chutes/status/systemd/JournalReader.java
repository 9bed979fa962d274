package ai.chutes.status.systemd;

import ai.chutes.status.CheckFailedException;
import ai.chutes.status.command.CommandErrors;
import ai.chutes.status.command.CommandRunner;
import ai.chutes.status.command.Commands;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the newest journal lines of one allowlisted unit, optionally only from the last minutes. The output
 * arrives redacted: the command runner filters every run's output once, before it is cached or shared.
 */
@Singleton
public final class JournalReader {

    private final CommandRunner runner;
    private final Clock clock;

    @jakarta.inject.Inject
    public JournalReader(CommandRunner runner) {
        this(runner, Clock.systemUTC());
    }

    JournalReader(CommandRunner runner, Clock clock) {
        this.runner = runner;
        this.clock = clock;
    }

    /** Fails with {@link CheckFailedException} when journalctl cannot give an answer. */
    public CompletableFuture<LogPage> tail(ServiceEntry entry, int lines, OptionalInt sinceMinutes) {
        OptionalLong since = sinceMinutes.isPresent()
                ? OptionalLong.of(clock.instant().getEpochSecond() - sinceMinutes.getAsInt() * 60L)
                : OptionalLong.empty();
        return runner.run(Commands.journalTail(entry.unit(), lines, since)).thenApply(result -> {
            CommandErrors.describe(result).ifPresent(error -> {
                throw new CheckFailedException(error);
            });
            List<String> logs = JournalParser.lines(result.stdout().text(), result.stdout().truncated(), lines);
            return new LogPage(new UnitRef(entry.id(), entry.unit()), lines,
                    sinceMinutes.isPresent() ? sinceMinutes.getAsInt() : null,
                    logs.size(), result.stdout().truncated(), logs);
        });
    }
}
