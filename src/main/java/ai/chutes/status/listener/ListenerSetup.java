package ai.chutes.status.listener;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration.NettyListenerConfiguration;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates {@code status.bind-address/port/uds-path/tls} into Netty listeners: one TCP listener
 * (HTTPS when TLS files are set) and, optionally, one unix socket listener.
 */
@Singleton
final class ListenerSetup implements BeanCreatedEventListener<NettyHttpServerConfiguration> {

    private final BeanProvider<ListenerSettings> settings;

    ListenerSetup(BeanProvider<ListenerSettings> settings) {
        this.settings = settings;
    }

    @Override
    public NettyHttpServerConfiguration onCreated(BeanCreatedEvent<NettyHttpServerConfiguration> event) {
        ListenerSettings agent = settings.get();
        List<NettyListenerConfiguration> listeners = new ArrayList<>();
        NettyListenerConfiguration tcp = new NettyListenerConfiguration("tcp");
        tcp.setFamily(NettyListenerConfiguration.Family.TCP);
        tcp.setHost(agent.bindAddress());
        tcp.setPort(agent.port());
        tcp.setSsl(agent.tls().isPresent());
        listeners.add(tcp);
        agent.unixSocket().ifPresent(path -> {
            UnixSocketFile.prepare(path);
            NettyListenerConfiguration unix = new NettyListenerConfiguration("unix");
            unix.setFamily(NettyListenerConfiguration.Family.UNIX);
            unix.setPath(path.toString());
            listeners.add(unix);
        });
        NettyHttpServerConfiguration configuration = event.getBean();
        configuration.setListeners(listeners);
        return configuration;
    }
}
