package ai.chutes.status.gpu;

import ai.chutes.status.command.CommandRequest;
import ai.chutes.status.command.CommandResult;
import ai.chutes.status.command.CommandRunner;
import ai.chutes.status.command.Commands;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the one fixed {@code nvidia-smi --query-gpu} call and parses it into typed samples. The text
 * fields (names, versions) reach metrics labels and the overview; the runner has redacted the output.
 */
@Singleton
public final class GpuQueryReader {

    private static final Logger LOG = LoggerFactory.getLogger(GpuQueryReader.class);

    private final CommandRunner runner;

    public GpuQueryReader(CommandRunner runner) {
        this.runner = runner;
    }

    /** Never fails: a query that could not run is a {@link GpuQuery} that is not ok and has no GPUs. */
    public CompletableFuture<GpuQuery> query() {
        CommandRequest request = Commands.gpuQuery();
        return runner.run(request).thenApply(GpuQueryReader::toQuery).exceptionally(failure -> {
            LOG.warn("the GPU query could not run: {}", failure.toString());
            return GpuQuery.notRun();
        });
    }

    private static GpuQuery toQuery(CommandResult result) {
        List<GpuSample> gpus = result.exitCode() == null
                ? List.of()
                : GpuQueryParser.parse(result.stdout().text(), result.stdout().truncated());
        return new GpuQuery(gpus, result.ok(), result.exitCode(), result.duration());
    }
}
