package ai.chutes.status.config;

import ai.chutes.status.systemd.ServiceAllowlist;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

/** Makes the validated settings available as beans; eager, so bad configuration stops start-up. */
@Factory
final class SettingsFactory {

    @Context
    AgentSettings agentSettings(Environment environment) {
        return new SettingsReader(environment).read();
    }

    @Singleton
    RunnerSettings runnerSettings(AgentSettings settings) {
        return settings.runner();
    }

    @Singleton
    ServiceAllowlist serviceAllowlist(AgentSettings settings) {
        return new ServiceAllowlist(settings.services());
    }
}
