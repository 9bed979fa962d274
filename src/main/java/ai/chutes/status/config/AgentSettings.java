package ai.chutes.status.config;

import ai.chutes.status.access.AccessSettings;
import ai.chutes.status.overview.OverviewSettings;
import ai.chutes.status.push.PushSettings;
import ai.chutes.status.redact.RedactionSettings;
import ai.chutes.status.systemd.ServiceEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Everything configurable, validated once at start-up. */
public record AgentSettings(
        String bindAddress,
        int port,
        Optional<Path> unixSocket,
        Optional<TlsFiles> tls,
        RunnerSettings runner,
        PushSettings push,
        List<ServiceEntry> services,
        MetricsSettings metrics,
        OverviewSettings overview,
        UnixSocketOwnership unixSocketOwnership,
        AccessSettings access,
        RedactionSettings redaction) {

    public AgentSettings {
        services = List.copyOf(services);
    }
}
