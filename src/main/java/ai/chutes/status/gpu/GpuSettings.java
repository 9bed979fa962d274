package ai.chutes.status.gpu;

import ai.chutes.status.settings.TypedProperties;
import java.time.Duration;

/**
 * How often the kernel journal is read for XID errors. The GPU query runs at the overview's cadence;
 * the XID read has its own, longer one, so a steady-state overview starts no journal process: the
 * health verdict uses the XID counts of the latest read, at most {@code xidRefresh} old (a new fatal
 * XID turns the overview degraded at the first refresh after that). Zero reads it at every GPU query.
 */
public record GpuSettings(Duration xidRefresh) {

    /** {@code status.gpu.xid-refresh}: 0s to 10m, 30s by default. */
    public static GpuSettings read(TypedProperties properties) {
        return new GpuSettings(properties.between("status.gpu.xid-refresh", Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofMinutes(10)));
    }
}
