package ai.chutes.status.config;

import ai.chutes.status.authentication.AuthenticationSettings;
import ai.chutes.status.audit.AuditSettings;
import ai.chutes.status.command.RunnerSettings;
import ai.chutes.status.gpu.GpuSettings;
import ai.chutes.status.hygiene.HygieneSettings;
import ai.chutes.status.listener.ListenerSettings;
import ai.chutes.status.listener.TlsFiles;
import ai.chutes.status.metrics.MetricsSettings;
import ai.chutes.status.overview.OverviewSettings;
import ai.chutes.status.push.PushSettings;
import ai.chutes.status.redact.RedactionSettings;
import ai.chutes.status.systemd.ServiceAllowlist;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import java.util.HashMap;
import java.util.Map;
import jakarta.inject.Singleton;

/** Makes the validated settings available as beans; eager, so bad configuration stops start-up. */
@Factory
final class SettingsFactory {

    @Context
    AgentSettings agentSettings(Environment environment) {
        AgentSettings settings = new SettingsReader(environment).read();
        // Micronaut decides whether to build a TLS context from properties, so status.tls.* becomes
        // micronaut.server.ssl.* before the server's beans are resolved.
        settings.listeners().tls().ifPresent(files -> environment.addPropertySource(PropertySource.of("status-tls", tlsProperties(settings, files))));
        OpenListeners.warn(settings);
        return settings;
    }

    /**
     * The server's key and certificate, and for mutual TLS the client CA as the trust store: Micronaut
     * reads a PEM file of certificates as a trust store by itself (it builds an in-memory PKCS12 store
     * from it), so nothing is converted or written to disk.
     */
    private static Map<String, Object> tlsProperties(AgentSettings settings, TlsFiles files) {
        Map<String, Object> ssl = new HashMap<>(Map.of(
                "micronaut.server.ssl.enabled", true,
                "micronaut.server.ssl.build-self-signed", false,
                "micronaut.server.ssl.key-store.certificate-path", "file:" + files.certificate(),
                "micronaut.server.ssl.key-store.key-path", "file:" + files.privateKey()));
        settings.authentication().clientCertificates().ifPresent(clients -> {
            ssl.put("micronaut.server.ssl.client-authentication", clients.required() ? "NEED" : "WANT");
            ssl.put("micronaut.server.ssl.trust-store.path", "file:" + clients.caBundle());
        });
        return ssl;
    }

    @Singleton
    ListenerSettings listenerSettings(AgentSettings settings) {
        return settings.listeners();
    }

    @Singleton
    RunnerSettings runnerSettings(AgentSettings settings) {
        return settings.runner();
    }

    @Singleton
    MetricsSettings metricsSettings(AgentSettings settings) {
        return settings.metrics();
    }

    @Singleton
    OverviewSettings overviewSettings(AgentSettings settings) {
        return settings.overview();
    }

    @Singleton
    PushSettings pushSettings(AgentSettings settings) {
        return settings.push();
    }

    @Singleton
    AuthenticationSettings authenticationSettings(AgentSettings settings) {
        return settings.authentication();
    }

    @Singleton
    AuditSettings auditSettings(AgentSettings settings) {
        return settings.audit();
    }

    @Singleton
    HygieneSettings hygieneSettings(AgentSettings settings) {
        return settings.hygiene();
    }

    @Singleton
    RedactionSettings redactionSettings(AgentSettings settings) {
        return settings.redaction();
    }

    @Singleton
    GpuSettings gpuSettings(AgentSettings settings) {
        return settings.gpu();
    }

    @Singleton
    ServiceAllowlist serviceAllowlist(AgentSettings settings) {
        return new ServiceAllowlist(settings.services());
    }
}
