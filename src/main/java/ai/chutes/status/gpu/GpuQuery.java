package ai.chutes.status.gpu;

import java.time.Duration;
import java.util.List;

/**
 * One run of the GPU metrics query. {@code table} holds every complete line nvidia-smi printed (also on
 * a non-zero exit, which one lost GPU can cause while the others still report) and {@code gpus} the same
 * GPUs typed; both are empty when nvidia-smi did not run to an exit. {@code exitCode} is null then
 * (timeout, missing binary, not run). {@code xids} are the kernel's XID errors of this boot.
 */
public record GpuQuery(GpuTable table, List<GpuSample> gpus, XidEvents xids, boolean ok, Integer exitCode, Duration duration) {

    public GpuQuery {
        gpus = List.copyOf(gpus);
    }

    /** The runner could not run the query at all (its queue was full). */
    static GpuQuery notRun(XidEvents xids) {
        return new GpuQuery(GpuTable.empty(), List.of(), xids, false, null, Duration.ZERO);
    }

    /** nvidia-smi ran to an exit, so {@link #gpus()} is what it printed rather than nothing known. */
    public boolean exited() {
        return exitCode != null;
    }
}
