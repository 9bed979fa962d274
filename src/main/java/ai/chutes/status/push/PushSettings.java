package ai.chutes.status.push;

import static ai.chutes.status.settings.TypedProperties.invalid;

import ai.chutes.status.push.vsock.VsockSockets;
import ai.chutes.status.settings.TypedProperties;
import java.time.Duration;
import java.util.Locale;

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

    /** The {@code status.push.*} keys, with the documented defaults (docs/configuration.md) (on, {@code auto}, dial, every 10 s). */
    public static PushSettings read(TypedProperties properties) {
        boolean enabled = properties.bool("status.push.enabled", true);
        String rawAddress = properties.string("status.push.address", "auto");
        PushAddress address;
        try {
            address = PushAddress.parse(rawAddress, VsockSockets::localCid);
        } catch (IllegalArgumentException e) {
            throw invalid("status.push.address " + e.getMessage() + ", got '" + rawAddress + "'");
        }
        String rawMode = properties.string("status.push.mode", "dial").toLowerCase(Locale.ROOT);
        Mode mode = switch (rawMode) {
            case "dial" -> Mode.DIAL;
            case "listen" -> Mode.LISTEN;
            default -> throw invalid("status.push.mode must be dial or listen, got '" + rawMode + "'");
        };
        Duration interval = properties.atLeast("status.push.interval", Duration.ofSeconds(10), Duration.ofMillis(10));
        Duration backoffInitial = properties.atLeast("status.push.backoff-initial", Duration.ofMillis(500), Duration.ofMillis(10));
        Duration backoffMax = properties.atLeast("status.push.backoff-max", Duration.ofSeconds(30), backoffInitial);
        Duration writeTimeout = properties.atLeast("status.push.write-timeout", Duration.ofSeconds(10), Duration.ofMillis(100));
        String agentId = properties.string("status.push.agent-id", "");
        if (agentId.isEmpty()) {
            agentId = AgentIdentity.defaultId();
        }
        if (!AgentIdentity.VALID.matcher(agentId).matches()) {
            throw invalid("status.push.agent-id must be 1-64 letters, digits, '.', '_' or '-', got '" + agentId + "'");
        }
        return new PushSettings(enabled, address, mode, interval, backoffInitial, backoffMax, writeTimeout, agentId);
    }
}
