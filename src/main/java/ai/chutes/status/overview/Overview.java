package ai.chutes.status.overview;

import ai.chutes.status.gpu.NvidiaSmiReport;
import ai.chutes.status.systemd.ServiceCheck;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** All checks at one moment: {@code ok} only when every service is healthy and nvidia-smi exited 0. */
@Serdeable
public record Overview(String status, List<ServiceCheck> services, NvidiaSmiReport gpu, String timestamp) {

    public boolean ok() {
        return "ok".equals(status);
    }
}
