package ai.chutes.status.gpu;

import ai.chutes.status.Checked;
import ai.chutes.status.ErrorBody;
import ai.chutes.status.ErrorCode;
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

    /**
     * As an answer of its own ({@code /gpu/nvidia-smi}): this body whenever nvidia-smi ran (a non-zero
     * exit is still a report, status error, whose output often says why); its error alone when there is
     * no output to show (timed out, missing, not run).
     */
    public Checked<NvidiaSmiReport> checked() {
        return error == null || error.code() == ErrorCode.COMMAND_FAILED ? Checked.ok(this) : Checked.failed(error);
    }
}
