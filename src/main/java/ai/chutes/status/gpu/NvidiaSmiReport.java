package ai.chutes.status.gpu;

import ai.chutes.status.ErrorBody;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/**
 * The nvidia-smi body: its output as text and lines, and {@code status} ok or error. {@code gpu} echoes
 * the selection ("all" or the index); {@code error} says why when the status is error.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record NvidiaSmiReport(
        List<String> command,
        Integer exitCode,
        String stdout,
        List<String> stdoutLines,
        String stderr,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        boolean detail,
        String gpu,
        String status,
        ErrorBody error) {

    public boolean ok() {
        return "ok".equals(status);
    }
}
