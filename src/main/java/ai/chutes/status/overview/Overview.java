package ai.chutes.status.overview;

import ai.chutes.status.gpu.GpuSample;
import ai.chutes.status.gpu.NvidiaSmiReport;
import ai.chutes.status.systemd.ServiceCheck;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * All checks at one moment: {@code status} and {@code reasons} are {@link HealthVerdict}'s, the one health rule.
 * {@code gpus} is the typed sample of each GPU from the metrics query, so the host gets numbers, not
 * only the text of {@code gpu}; it is left out when that query did not run to an exit.
 */
@Serdeable
public record Overview(
        String status,
        List<String> reasons,
        List<ServiceCheck> services,
        NvidiaSmiReport gpu,
        String timestamp,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<GpuSample> gpus) {

    public boolean ok() {
        return "ok".equals(status);
    }
}
