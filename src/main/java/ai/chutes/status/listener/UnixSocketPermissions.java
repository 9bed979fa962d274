package ai.chutes.status.listener;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerShutdownEvent;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;

/** Gives the bound unix socket its mode, owner and group once the server listens, and removes it on a clean shutdown. */
@Singleton
final class UnixSocketPermissions {

    private final ListenerSettings settings;

    UnixSocketPermissions(ListenerSettings settings) {
        this.settings = settings;
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        settings.unixSocket().ifPresent(path -> UnixSocketFile.restrict(path, settings.unixSocketOwnership()));
    }

    @EventListener
    void onShutdown(ServerShutdownEvent event) {
        settings.unixSocket().ifPresent(path -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the next start removes a stale socket anyway
            }
        });
    }
}
