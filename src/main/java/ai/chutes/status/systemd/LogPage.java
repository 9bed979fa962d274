package ai.chutes.status.systemd;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/** The newest journal lines of one unit. {@code requestedLines} is the clamped count asked of journalctl. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record LogPage(
        UnitRef service,
        int requestedLines,
        Integer sinceMinutes,
        int returnedLines,
        boolean stdoutTruncated,
        List<String> logs) {
}
