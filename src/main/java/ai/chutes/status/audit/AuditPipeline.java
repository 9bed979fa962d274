package ai.chutes.status.audit;

import ai.chutes.status.authentication.Callers;
import ai.chutes.status.listener.ConnectionPipeline;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;

/** Puts the {@link AuditHandler} right before Micronaut's inbound handler of every connection. */
@Singleton
final class AuditPipeline extends ConnectionPipeline {

    private final Callers callers;
    private final AuditLog auditLog;

    AuditPipeline(Callers callers, AuditLog auditLog) {
        this.callers = callers;
        this.auditLog = auditLog;
    }

    @Override
    protected String marker() {
        return AuditHandler.NAME;
    }

    @Override
    protected void install(ChannelPipeline pipeline) {
        pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, AuditHandler.NAME, new AuditHandler(callers, auditLog));
    }
}
