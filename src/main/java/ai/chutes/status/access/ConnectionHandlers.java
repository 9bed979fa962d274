package ai.chutes.status.access;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the request deadline, the backpressure ({@link AnswerBeforeNextRequest}), the framing check
 * ({@link RequestFraming}) and the audit handler into the pipeline of every HTTP/1.1 connection, on
 * every listener (TCP, HTTPS, unix socket), through Micronaut's server customizer hook.
 */
@Singleton
final class ConnectionHandlers implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandlers.class);

    private final Callers callers;
    private final AuditLog auditLog;
    private final AccessSettings settings;

    ConnectionHandlers(Callers callers, AuditLog auditLog, AccessSettings settings) {
        this.callers = callers;
        this.auditLog = auditLog;
        this.settings = settings;
    }

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
                    || pipeline.get(AuditHandler.NAME) != null) {
                // Not an HTTP/1.1 connection pipeline (this agent serves no other); the access filter
                // still identifies callers there, only the audit line and the deadline are missing.
                LOG.debug("unexpected pipeline; no audit handler: {}", pipeline.names());
                return;
            }
            RequestDeadline deadline = new RequestDeadline(settings.requestReadTimeout());
            pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, RequestDeadline.BYTES, deadline.bytes());
            pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, RequestDeadline.REQUESTS, deadline.requests());
            pipeline.addAfter(RequestDeadline.REQUESTS, AnswerBeforeNextRequest.NAME, new AnswerBeforeNextRequest(settings.answerWriteTimeout()));
            pipeline.addAfter(AnswerBeforeNextRequest.NAME, RequestFraming.NAME, new RequestFraming());
            pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, AuditHandler.NAME, new AuditHandler(callers, auditLog));
            LOG.debug("connection pipeline: {}", pipeline.names());
        }
    }
}
