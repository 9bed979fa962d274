package ai.chutes.status.overview;

import ai.chutes.status.gpu.GpuQuery;
import ai.chutes.status.gpu.GpuSample;
import ai.chutes.status.gpu.XidEvents;
import ai.chutes.status.systemd.ServiceCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one health rule, used by {@code /overview}, the push channel and {@code /metrics}'
 * {@code system_status_overview_ok}: a pure function from what was read to ok or degraded, with one
 * reason per problem. The node is ok only when every allowlisted unit is healthy, the GPU query exited
 * 0, and no GPU
 * <ul>
 *   <li>has a fatal XID in the kernel journal of this boot ({@link XidEvents#FATAL}; 79 = fell off the bus),</li>
 *   <li>has row remapping pending or failed, or a page retirement pending,</li>
 *   <li>has uncorrectable ECC errors since the driver loaded (volatile),</li>
 *   <li>asks for a recovery action (anything but {@code None}).</li>
 * </ul>
 * A GPU that fell off the bus is usually missing from nvidia-smi's answer; its XID still names it by
 * its PCI address. See docs/gpu-metrics.md.
 */
public record HealthVerdict(boolean ok, List<String> reasons) {

    public HealthVerdict {
        reasons = List.copyOf(reasons);
    }

    /**
     * @param services the unit checks, or null when they could not be read at all
     * @param gpus the GPU query, or null when none has finished yet
     */
    public static HealthVerdict of(List<ServiceCheck> services, GpuQuery gpus) {
        List<String> reasons = new ArrayList<>();
        if (services == null) {
            reasons.add("the unit states are not known yet");
        } else {
            for (ServiceCheck check : services) {
                if (!check.healthy()) {
                    reasons.add("service " + check.service().id() + " is not healthy"
                            + (check.status() == null ? "" : " (" + check.status().activeState() + "/" + check.status().subState() + ")"));
                }
            }
        }
        if (gpus == null) {
            reasons.add("no GPU query has finished yet");
            return new HealthVerdict(false, reasons);
        }
        if (!gpus.ok()) {
            reasons.add(gpus.exitCode() == null ? "nvidia-smi did not run to an exit"
                    : "nvidia-smi exited " + gpus.exitCode());
        }
        Set<String> named = new TreeSet<>();
        for (GpuSample gpu : gpus.gpus()) {
            String who = "GPU " + gpu.index() + " (" + gpu.pciBusId() + ")";
            if (gpu.pciBusId() != null) {
                named.add(XidEvents.address(gpu.pciBusId()));
            }
            gpuReasons(gpu, who, reasons);
        }
        for (Map.Entry<String, Map<Integer, XidEvents.XidCount>> entry : gpus.xids().counts().entrySet()) {
            if (named.contains(entry.getKey())) {
                continue;
            }
            for (XidEvents.XidCount xid : entry.getValue().values()) {
                if (XidEvents.FATAL.contains(xid.xid())) {
                    reasons.add("the GPU at PCI " + entry.getKey() + " (not listed by nvidia-smi) had fatal XID " + xid.xid());
                }
            }
        }
        return new HealthVerdict(reasons.isEmpty(), reasons);
    }

    private static void gpuReasons(GpuSample gpu, String who, List<String> reasons) {
        if (gpu.xidErrors() != null) {
            gpu.xidErrors().keySet().stream().map(Integer::parseInt).filter(XidEvents.FATAL::contains).sorted()
                    .forEach(xid -> reasons.add(who + " had fatal XID " + xid + (xid == 79 ? " (fell off the bus)" : "")));
        }
        if (Boolean.TRUE.equals(gpu.remappedRowsPending())) {
            reasons.add(who + " has row remapping pending (reset the GPU)");
        }
        if (Boolean.TRUE.equals(gpu.remappedRowsFailure())) {
            reasons.add(who + " has a failed row remapping");
        }
        if (Boolean.TRUE.equals(gpu.retiredPagesPending())) {
            reasons.add(who + " has a page retirement pending");
        }
        if (gpu.eccErrorsUncorrectedVolatileTotal() != null && gpu.eccErrorsUncorrectedVolatileTotal() > 0) {
            reasons.add(who + " has " + gpu.eccErrorsUncorrectedVolatileTotal() + " uncorrectable ECC errors since the driver loaded");
        }
        if (gpu.gpuRecoveryAction() != null && !gpu.gpuRecoveryAction().equalsIgnoreCase("none")) {
            reasons.add(who + " asks for recovery action " + gpu.gpuRecoveryAction());
        }
    }
}
