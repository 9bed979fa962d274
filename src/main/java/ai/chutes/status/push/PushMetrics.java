package ai.chutes.status.push;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;

/**
 * The push channel's meters, read from the channel's own counters at scrape time:
 * {@code system_status_push_connected}, {@code system_status_push_queued} and the
 * {@code system_status_push_*_total} counters. Eager, so the series exist before the first push.
 */
@Context
@Requires(property = "status.push.enabled", notEquals = "false")
final class PushMetrics {

    PushMetrics(MeterRegistry registry, PushChannel channel) {
        Gauge.builder("system.status.push.connected", channel, c -> c.connected() ? 1 : 0)
                .description("1 while a connection to the host collector is open").register(registry);
        Gauge.builder("system.status.push.queued", channel, PushChannel::queued)
                .description("Messages waiting for the host (bounded)").register(registry);
        FunctionCounter.builder("system.status.push.sent", channel, PushChannel::sentMessages)
                .description("Messages written to the host").register(registry);
        FunctionCounter.builder("system.status.push.dropped", channel, PushChannel::droppedMessages)
                .description("Messages replaced or dropped from the queue before they could be sent").register(registry);
        FunctionCounter.builder("system.status.push.overviews", channel, PushChannel::overviewsTaken)
                .description("Overviews handed to the push channel (one per push cycle, plus get_overview answers)")
                .register(registry);
        FunctionCounter.builder("system.status.push.connections", channel, PushChannel::connectionsOpened)
                .description("Connections to the host opened (dialed or accepted)").register(registry);
        FunctionCounter.builder("system.status.push.connect.failures", channel, PushChannel::connectFailures)
                .description("Dials to the host that failed; each is followed by a backoff delay").register(registry);
    }
}
