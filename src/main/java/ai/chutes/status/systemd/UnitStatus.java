package ai.chutes.status.systemd;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * A unit's state as {@code systemctl show} reports it. {@code exitCode} is ExecMainCode (how the main
 * process ended, 1 = exited) and {@code exitStatus} is ExecMainStatus; numbers are null when absent.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record UnitStatus(
        String loadState,
        String activeState,
        String subState,
        String unitFileState,
        Integer mainPid,
        Integer exitCode,
        Integer exitStatus,
        Integer nRestarts,
        String result) {
}
