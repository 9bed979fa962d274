package ai.chutes.status.config;

import ai.chutes.status.authentication.AuthenticationSettings;
import ai.chutes.status.audit.AuditSettings;
import ai.chutes.status.command.RunnerSettings;
import ai.chutes.status.gpu.GpuSettings;
import ai.chutes.status.hygiene.HygieneSettings;
import ai.chutes.status.listener.ListenerSettings;
import ai.chutes.status.metrics.MetricsSettings;
import ai.chutes.status.overview.OverviewSettings;
import ai.chutes.status.push.PushSettings;
import ai.chutes.status.redact.RedactionSettings;
import ai.chutes.status.systemd.ServiceEntry;
import java.util.List;

/** Everything configurable, validated once at start-up. */
public record AgentSettings(
        ListenerSettings listeners,
        RunnerSettings runner,
        PushSettings push,
        List<ServiceEntry> services,
        MetricsSettings metrics,
        OverviewSettings overview,
        AuthenticationSettings authentication,
        AuditSettings audit,
        HygieneSettings hygiene,
        RedactionSettings redaction,
        GpuSettings gpu) {

    public AgentSettings {
        services = List.copyOf(services);
    }
}
