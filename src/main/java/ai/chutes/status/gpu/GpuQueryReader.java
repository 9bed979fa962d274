package ai.chutes.status.gpu;

import ai.chutes.status.command.CommandResult;
import ai.chutes.status.command.CommandRunner;
import ai.chutes.status.command.Commands;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the GPU metrics query for the fields the driver supports, and reads the kernel's XID errors
 * beside it. The text fields (names, versions) reach metrics labels and the overview; the runner has
 * redacted the output.
 */
@Singleton
public final class GpuQueryReader {

    private static final Logger LOG = LoggerFactory.getLogger(GpuQueryReader.class);

    private final CommandRunner runner;
    private final SupportedGpuFields supported;
    private final XidReader xidReader;

    public GpuQueryReader(CommandRunner runner, SupportedGpuFields supported, XidReader xidReader) {
        this.runner = runner;
        this.supported = supported;
        this.xidReader = xidReader;
    }

    /** Never fails: a query that could not run is a {@link GpuQuery} that is not ok and has no GPUs. */
    public CompletableFuture<GpuQuery> query() {
        CompletableFuture<XidEvents> xids = xidReader.read();
        CompletableFuture<List<String>> fields = supported.fields();
        CompletableFuture<GpuQuery> table = runner.runAfter(fields, asked -> asked.isEmpty() ? null : Commands.gpuQuery(asked))
                .thenApply(result -> result == null ? GpuQuery.notRun(XidEvents.none()) : toQuery(result, fields.join()));
        return table.thenCombine(xids, GpuQueryReader::withXids).exceptionally(failure -> {
            LOG.warn("the GPU query could not run: {}", failure.toString());
            return GpuQuery.notRun(xids.getNow(XidEvents.none()));
        });
    }

    private static GpuQuery toQuery(CommandResult result, List<String> fields) {
        GpuTable table = result.exitCode() == null
                ? GpuTable.empty()
                : GpuQueryParser.parse(result.stdout().text(), result.stdout().truncated(), fields);
        return new GpuQuery(table, List.of(), XidEvents.none(), result.ok(), result.exitCode(), result.duration());
    }

    private static GpuQuery withXids(GpuQuery query, XidEvents xids) {
        return new GpuQuery(query.table(), GpuSamples.of(query.table(), xids), xids, query.ok(), query.exitCode(),
                query.duration());
    }
}
