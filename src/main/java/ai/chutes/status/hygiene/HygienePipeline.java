package ai.chutes.status.hygiene;

import ai.chutes.status.listener.ConnectionPipeline;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;

/**
 * Puts the request deadline, the backpressure ({@link AnswerBeforeNextRequest}) and the framing check
 * ({@link RequestFraming}) right after Netty's HTTP codec of every connection.
 */
@Singleton
final class HygienePipeline extends ConnectionPipeline {

    private final HygieneSettings settings;

    HygienePipeline(HygieneSettings settings) {
        this.settings = settings;
    }

    @Override
    protected String marker() {
        return RequestDeadline.REQUESTS;
    }

    @Override
    protected void install(ChannelPipeline pipeline) {
        RequestDeadline deadline = new RequestDeadline(settings.requestReadTimeout());
        pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, RequestDeadline.BYTES, deadline.bytes());
        pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, RequestDeadline.REQUESTS, deadline.requests());
        pipeline.addAfter(RequestDeadline.REQUESTS, AnswerBeforeNextRequest.NAME, new AnswerBeforeNextRequest(settings.answerWriteTimeout()));
        pipeline.addAfter(AnswerBeforeNextRequest.NAME, RequestFraming.NAME, new RequestFraming());
    }
}
