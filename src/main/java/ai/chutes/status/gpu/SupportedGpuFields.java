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
 * whole query. When nvidia-smi answers without a usable list (it fails), the table's typed fields are
 * asked for; when it did not run to an exit (missing, hung, runner busy), nothing is asked, since the
 * query would meet the same fate. Either way the list is tried again at the next query.
 */
@Singleton
public final class SupportedGpuFields {

    private static final Logger LOG = LoggerFactory.getLogger(SupportedGpuFields.class);

    private final CommandRunner runner;
    private final AtomicReference<List<String>> learnt = new AtomicReference<>();

    public SupportedGpuFields(CommandRunner runner) {
        this.runner = runner;
    }

    /** The fields to ask for; empty when nvidia-smi could not be run at all. */
    public CompletableFuture<List<String>> fields() {
        List<String> known = learnt.get();
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return runner.run(Commands.gpuFieldHelp()).thenApply(result -> {
            if (result.exitCode() == null) {
                return List.<String>of();
            }
            List<String> supported = result.ok() && !result.stdout().truncated()
                    ? GpuFieldTable.supported(result.stdout().text()) : List.of();
            if (!supported.contains("uuid")) {
                LOG.warn("nvidia-smi --help-query-gpu gave no usable field list (exit {}); asking for the typed fields",
                        result.exitCode());
                return GpuFieldTable.typedQueries();
            }
            learnt.compareAndSet(null, supported);
            return supported;
        }).exceptionally(failure -> List.of());
    }
}
