package ai.chutes.status.gpu;

import ai.chutes.status.ErrorBody;
import ai.chutes.status.command.CommandErrors;
import ai.chutes.status.command.CommandRequest;
import ai.chutes.status.command.CommandResult;
import ai.chutes.status.command.CommandRunner;
import ai.chutes.status.command.Commands;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the nvidia-smi summary ({@code nvidia-smi}) or detail ({@code nvidia-smi -q}) report. Its stdout
 * and stderr were redacted by the runner, so the HTTP body and the pushed overview carry redacted text.
 */
@Singleton
public final class NvidiaSmiReader {

    private final CommandRunner runner;

    public NvidiaSmiReader(CommandRunner runner) {
        this.runner = runner;
    }

    public CompletableFuture<NvidiaSmiReport> report(boolean detail, OptionalInt gpuIndex) {
        String selection = gpuIndex.isPresent() ? Integer.toString(gpuIndex.getAsInt()) : "all";
        CommandRequest request = Commands.gpuReport(detail, gpuIndex);
        return runner.run(request).thenApply(result -> toReport(result, detail, selection))
                .exceptionally(failure -> unavailable(request, detail, selection, CommandErrors.notRun(request, failure)));
    }

    private static NvidiaSmiReport toReport(CommandResult result, boolean detail, String selection) {
        ErrorBody error = CommandErrors.describe(result).orElse(null);
        String stdout = result.stdout().text();
        return new NvidiaSmiReport(result.request().displayArgv(), result.exitCode(), stdout, lines(stdout),
                result.stderr().text(), result.stdout().truncated(), result.stderr().truncated(), detail, selection,
                error == null ? "ok" : "error", error);
    }

    private static NvidiaSmiReport unavailable(CommandRequest request, boolean detail, String selection, ErrorBody error) {
        return new NvidiaSmiReport(request.displayArgv(), null, "", List.of(), "", false, false, detail, selection,
                "error", error);
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return List.of(text.split("\r?\n"));
    }
}
