package ai.chutes.status.gpu;

import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code nvidia_smi_gpu_info}: one series per GPU with the exporter's identity labels, the raw values
 * nvidia-smi printed (the dashboards' GPU picker reads {@code name} and {@code index} from it). A label
 * whose field was not asked for is left out.
 */
final class GpuInfo {

    /** nvidia_gpu_exporter's gpu_info labels (internal/nvidiasmi/resolve.go infoFields), in its order. */
    private static final List<String[]> LABELS = List.of(
            new String[] {"uuid", "uuid"}, new String[] {"name", "name"},
            new String[] {"driver_model.current", "driver_model_current"},
            new String[] {"driver_model.pending", "driver_model_pending"},
            new String[] {"vbios_version", "vbios_version"}, new String[] {"driver_version", "driver_version"},
            new String[] {"pci.bus_id", "pci_bus_id"}, new String[] {"serial", "serial"},
            new String[] {"compute_cap", "compute_cap"}, new String[] {"pci.sub_device_id", "pci_sub_device_id"},
            new String[] {"index", "index"});

    private GpuInfo() {
    }

    /** Printed as {@code nvidia_smi_gpu_info}: client_java appends {@code _info} to an info family's name. */
    static Optional<InfoSnapshot> family(GpuTable table) {
        InfoSnapshot.Builder info = InfoSnapshot.builder().name("nvidia_smi_gpu")
                .help("A GPU and its identity; the value is always 1");
        boolean any = false;
        for (Map<String, String> row : table.rows()) {
            String uuid = row.get("uuid");
            if (uuid == null || uuid.isEmpty()) {
                continue;
            }
            List<String> pairs = new ArrayList<>();
            for (String[] label : LABELS) {
                String value = label[0].equals("uuid") ? ExporterNaming.uuidLabel(uuid) : row.get(label[0]);
                if (value != null && !value.isEmpty()) {
                    pairs.add(label[1]);
                    pairs.add(value);
                }
            }
            info.dataPoint(InfoDataPointSnapshot.builder().labels(Labels.of(pairs.toArray(String[]::new))).build());
            any = true;
        }
        return any ? Optional.of(info.build()) : Optional.empty();
    }
}
