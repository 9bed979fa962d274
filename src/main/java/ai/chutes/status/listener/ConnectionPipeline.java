package ai.chutes.status.listener;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a part's handlers into the pipeline of every HTTP/1.1 connection, on every listener (TCP, HTTPS,
 * unix socket), through Micronaut's server customizer hook. Each part (request hygiene, the audit)
 * places its handlers relative to Netty's HTTP codec or Micronaut's inbound handler, which every such
 * pipeline has, so the parts may be installed in any order.
 */
public abstract class ConnectionPipeline implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPipeline.class);

    /** The name of a handler this part adds: when the pipeline has it already, nothing is added again. */
    protected abstract String marker();

    /** Adds this part's handlers to a connection's pipeline, which has the codec and the inbound handler. */
    protected abstract void install(ChannelPipeline pipeline);

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        NettyServerCustomizer.Registry registry = event.getBean();
        registry.register(new NettyServerCustomizer() {
            @Override
            public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
                return role == ChannelRole.CONNECTION ? new PerConnection(channel) : this;
            }
        });
        return registry;
    }

    private final class PerConnection implements NettyServerCustomizer {

        private final Channel channel;

        PerConnection(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel child, ChannelRole role) {
            return this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null
                    || pipeline.get(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND) == null
                    || pipeline.get(marker()) != null) {
                // Not an HTTP/1.1 connection pipeline (this agent serves no other); the access filter
                // still identifies callers there, only the audit line and the deadlines are missing.
                LOG.debug("unexpected pipeline; no {}: {}", marker(), pipeline.names());
                return;
            }
            install(pipeline);
            LOG.debug("connection pipeline: {}", pipeline.names());
        }
    }
}
