package ai.chutes.status.push;

import ai.chutes.status.overview.Overview;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/** The payloads of the messages the agent sends (schemas/push-*.schema.json). */
final class Payloads {

    private Payloads() {
    }

    @Serdeable(naming = SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Lifecycle(String state, String message, long seq, String timestamp, String agentId, String instance) {
    }

    /** The {@code /overview} body with the message's seq and the agent's id beside its fields. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record OverviewMessage(@JsonUnwrapped Overview overview, long seq, String agentId) {
    }

    /** {@code replyTo} is the type of the line answered, null when the line had none. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    record Ack(String replyTo, boolean ok, String error) {
    }

    /** ping and pong carry no data. */
    @Serdeable
    record Empty() {
    }
}
