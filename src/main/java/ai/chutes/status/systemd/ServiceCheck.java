package ai.chutes.status.systemd;

import ai.chutes.status.Checked;
import ai.chutes.status.ErrorBody;
import io.micronaut.serde.annotation.Serdeable;

/** The status body of one service: its state, whether that is healthy, or why it could not be read. */
@Serdeable
public record ServiceCheck(ServiceRef service, UnitStatus status, boolean healthy, ErrorBody error) {

    /** As an answer of its own ({@code /services/{id}/status}): this body, or its error alone. */
    public Checked<ServiceCheck> checked() {
        return error == null ? Checked.ok(this) : Checked.failed(error);
    }
}
