package ai.chutes.status.config;

import ai.chutes.status.authentication.AuthenticationSettingsReader;
import ai.chutes.status.audit.AuditSettings;
import ai.chutes.status.command.RunnerSettings;
import ai.chutes.status.gpu.GpuSettings;
import ai.chutes.status.hygiene.HygieneSettings;
import ai.chutes.status.listener.ListenerSettings;
import ai.chutes.status.metrics.MetricsSettings;
import ai.chutes.status.overview.OverviewSettings;
import ai.chutes.status.push.PushSettings;
import ai.chutes.status.redact.RedactionSettings;
import ai.chutes.status.settings.TypedProperties;
import ai.chutes.status.systemd.ServiceSettings;
import io.micronaut.core.value.PropertyResolver;

/**
 * Assembles {@link AgentSettings} from the {@code status.*} properties (the settings file, {@code -D},
 * environment variables: whatever Micronaut resolves). Each capability reads and checks its own keys;
 * this class only puts the parts together, in an order where a later part may depend on an earlier one
 * (the access keys need to know whether there is HTTPS and a unix socket).
 */
public final class SettingsReader {

    private final TypedProperties properties;

    public SettingsReader(PropertyResolver properties) {
        this.properties = new TypedProperties(properties);
    }

    public AgentSettings read() {
        ListenerSettings listeners = ListenerSettings.read(properties);
        return new AgentSettings(
                listeners,
                RunnerSettings.read(properties),
                PushSettings.read(properties),
                ServiceSettings.read(properties),
                MetricsSettings.read(properties),
                OverviewSettings.read(properties),
                new AuthenticationSettingsReader(properties).read(listeners.tls().isPresent(), listeners.unixSocket().isPresent()),
                AuditSettings.read(properties),
                HygieneSettings.read(properties),
                RedactionSettings.read(properties),
                GpuSettings.read(properties));
    }
}
