package ai.chutes.status.gpu;

import java.util.List;
import java.util.Map;

/**
 * What one {@code --query-gpu=<fields> --format=csv} printed: the fields asked for, the header
 * nvidia-smi returned for each (with its unit, e.g. {@code memory.used [MiB]}), and one row of raw
 * values per GPU, keyed by query field.
 */
public record GpuTable(List<String> fields, List<String> headers, List<Map<String, String>> rows) {

    public GpuTable {
        fields = List.copyOf(fields);
        headers = List.copyOf(headers);
        rows = List.copyOf(rows);
    }

    public static GpuTable empty() {
        return new GpuTable(List.of(), List.of(), List.of());
    }
}
