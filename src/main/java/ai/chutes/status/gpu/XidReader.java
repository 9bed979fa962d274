package ai.chutes.status.gpu;

import ai.chutes.status.command.CommandRequest;
import ai.chutes.status.command.CommandRunner;
import ai.chutes.status.command.Commands;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the XID errors of this boot from the kernel journal, through the one runner and the one fixed
 * argv ({@link Commands#kernelXids()}). A journal that cannot be read gives no XIDs (and a warning):
 * never a line of it goes to a client.
 */
@Singleton
public final class XidReader {

    private static final Logger LOG = LoggerFactory.getLogger(XidReader.class);

    private final CommandRunner runner;

    public XidReader(CommandRunner runner) {
        this.runner = runner;
    }

    public CompletableFuture<XidEvents> read() {
        CommandRequest request = Commands.kernelXids();
        return runner.run(request).thenApply(result -> {
            if (!result.ok()) {
                LOG.warn("the kernel journal could not be read for XIDs (exit {})", result.exitCode());
                return XidEvents.none();
            }
            return XidEvents.parse(result.stdout().text());
        }).exceptionally(failure -> {
            LOG.warn("the kernel journal could not be read for XIDs: {}", failure.getClass().getSimpleName());
            return XidEvents.none();
        });
    }
}
