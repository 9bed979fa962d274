package ai.chutes.status.push;

import java.time.Duration;

/**
 * The push channel's configuration ({@code status.push.*}), validated at start-up.
 *
 * @param interval       how often the overview is taken and sent (the heartbeat)
 * @param backoffInitial first reconnect delay; it doubles per failed attempt up to {@code backoffMax}
 * @param writeTimeout   a write that takes longer (a host that stopped reading) drops the connection
 */
public record PushSettings(
        boolean enabled,
        PushAddress address,
        Mode mode,
        Duration interval,
        Duration backoffInitial,
        Duration backoffMax,
        Duration writeTimeout,
        String agentId) {

    /** {@code dial}: the agent connects to the host collector; {@code listen}: the host connects to the agent. */
    public enum Mode { DIAL, LISTEN }
}
