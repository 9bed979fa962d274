package ai.chutes.status.gpu;

import ai.chutes.status.command.CommandRunner;
import ai.chutes.status.command.Commands;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU fields to ask for: the table's fields that the installed nvidia-smi lists in
 * {@code --help-query-gpu}, learnt once, so one field an older driver does not know never fails the
 * whole query. Until the list has been read (nvidia-smi missing, failing), the table's typed fields are
 * asked for, and the list is tried again at the next query.
 */
@Singleton
public final class SupportedGpuFields {

    private static final Logger LOG = LoggerFactory.getLogger(SupportedGpuFields.class);

    private final CommandRunner runner;
    private final AtomicReference<List<String>> learnt = new AtomicReference<>();

    public SupportedGpuFields(CommandRunner runner) {
        this.runner = runner;
    }

    public CompletableFuture<List<String>> fields() {
        List<String> known = learnt.get();
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return runner.run(Commands.gpuFieldHelp()).thenApply(result -> {
            List<String> supported = result.ok() && !result.stdout().truncated()
                    ? GpuFieldTable.supported(result.stdout().text()) : List.of();
            if (!supported.contains("uuid")) {
                LOG.warn("nvidia-smi --help-query-gpu gave no usable field list (exit {}); asking for the typed fields",
                        result.exitCode());
                return GpuFieldTable.typedQueries();
            }
            learnt.compareAndSet(null, supported);
            return supported;
        }).exceptionally(failure -> GpuFieldTable.typedQueries());
    }
}
