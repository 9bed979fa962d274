package ai.chutes.status.gpu;

import ai.chutes.status.metrics.Snapshots;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nvidia_smi_xid_errors_total} and {@code nvidia_smi_xid_last_timestamp_seconds} with the
 * exporter's labels {@code uuid} and {@code xid}, plus {@code pci_bus_id}: a GPU that fell off the bus
 * is no longer listed by nvidia-smi, so its XIDs keep the PCI address and an empty uuid. Counted from
 * the kernel journal of this boot.
 */
final class XidSeries {

    private XidSeries() {
    }

    static List<MetricSnapshot> families(GpuQuery query) {
        Map<String, String> uuidByAddress = new HashMap<>();
        for (Map<String, String> row : query.table().rows()) {
            String busId = row.get("pci.bus_id");
            String uuid = row.get("uuid");
            if (busId != null && uuid != null && !uuid.isEmpty()) {
                uuidByAddress.put(XidEvents.address(busId), ExporterNaming.uuidLabel(uuid));
            }
        }
        Snapshots count = Snapshots.counter("nvidia_smi_xid_errors",
                "XID errors the NVIDIA driver logged in the kernel journal since boot, per GPU and XID");
        Snapshots last = Snapshots.gauge("nvidia_smi_xid_last_timestamp_seconds",
                "Unix time of the last XID error of this number the NVIDIA driver logged for the GPU");
        query.xids().counts().forEach((address, byXid) -> byXid.values().forEach(xid -> {
            String uuid = uuidByAddress.getOrDefault(address, "");
            String number = Integer.toString(xid.xid());
            count.point(xid.count(), "uuid", uuid, "pci_bus_id", address, "xid", number);
            last.point(xid.lastSeconds(), "uuid", uuid, "pci_bus_id", address, "xid", number);
        }));
        return count.isEmpty() ? List.of() : List.of(count.build(), last.build());
    }
}
