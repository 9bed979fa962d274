package ai.chutes.status.config;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.ssl.ServerSslConfiguration;
import jakarta.inject.Singleton;

/** Points Micronaut's server TLS at the PEM files from {@code status.tls.*}, when both are set. */
@Singleton
final class TlsSetup implements BeanCreatedEventListener<ServerSslConfiguration> {

    private final BeanProvider<AgentSettings> settings;

    TlsSetup(BeanProvider<AgentSettings> settings) {
        this.settings = settings;
    }

    @Override
    public ServerSslConfiguration onCreated(BeanCreatedEvent<ServerSslConfiguration> event) {
        ServerSslConfiguration ssl = event.getBean();
        settings.get().tls().ifPresent(files -> {
            ssl.setEnabled(true);
            ssl.setBuildSelfSigned(false);
            ssl.getKeyStore().setCertificatePath("file:" + files.certificate());
            ssl.getKeyStore().setKeyPath("file:" + files.privateKey());
        });
        return ssl;
    }
}
