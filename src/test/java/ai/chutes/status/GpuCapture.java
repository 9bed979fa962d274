package ai.chutes.status;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real nvidia-smi capture of nvidia_gpu_exporter's corpus, as the fake nvidia-smi replays it: the
 * full-field {@code --query-gpu ... --format=csv} answer (fixtures/nvidia-smi-query-gpu-csv) and the
 * {@code --help-query-gpu} field list of the same machine and driver (a section of
 * fixtures/nvidia-smi-captures). All reads go through {@link Fixtures}.
 */
public record GpuCapture(String name, String csv, String helpQueryGpu) {

    public static final String H100 = "linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01";
    public static final String H200 = "linux-x86_64__nvidia-h200__590.48.01";
    public static final String H100_MIG = "linux-x86_64__nvidia-h100-mig__590.48.01";
    public static final String L40S = "linux-x86_64__nvidia-l40s__595.80";
    public static final String RTX_2080 = "linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05";
    public static final String RTX_4080 = "linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05";
    public static final String RTX_2080_WINDOWS = "windows-x86_64__nvidia-geforce-rtx-2080-super__591.86";
    public static final List<String> MACHINES = List.of(H100, H200, H100_MIG, L40S, RTX_2080, RTX_4080, RTX_2080_WINDOWS);

    /** One machine in one state ({@code idle} or {@code load}). */
    public static GpuCapture of(String machine, String state) {
        return new GpuCapture(machine + "__" + state,
                Fixtures.read("nvidia-smi-query-gpu-csv/" + machine + "__" + state + ".csv"), helpOf(machine));
    }

    public static GpuCapture h100Idle() {
        return of(H100, "idle");
    }

    /**
     * Four GPUs on one driver, derived from real captures because no multi-GPU full-field CSV capture
     * exists: the data rows of the H100 and H200 captures (both driver 590.48.01, identical headers and
     * field lists), idle and load, in that order. Only what must differ between GPUs of one machine is
     * changed: {@code index} becomes the row number and the masked uuid's last digit the row number
     * ({@code GPU-00000000-0000-0000-0000-00000000000N}); every other value is as captured.
     */
    public static GpuCapture fourGpus() {
        List<GpuCapture> parts = List.of(of(H100, "idle"), of(H100, "load"), of(H200, "idle"), of(H200, "load"));
        String header = parts.get(0).csv().split("\n")[0];
        List<String> columns = List.of(header.split(",", -1)).stream().map(String::trim).toList();
        int index = columns.indexOf("index");
        int uuid = columns.indexOf("uuid");
        StringBuilder csv = new StringBuilder(header).append('\n');
        int row = 0;
        for (GpuCapture part : parts) {
            String[] lines = part.csv().split("\n");
            if (!lines[0].equals(header) || !part.helpQueryGpu().equals(parts.get(0).helpQueryGpu())) {
                fail(part.name() + " does not share the H100's field list");
            }
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                List<String> values = new ArrayList<>(List.of(lines[i].split(",", -1)));
                values.set(index, " " + row);
                String masked = values.get(uuid).trim();
                values.set(uuid, " " + masked.substring(0, masked.length() - 1) + row);
                csv.append(String.join(",", values)).append('\n');
                row++;
            }
        }
        return new GpuCapture("four-gpus__h100-h200__590.48.01", csv.toString(), parts.get(0).helpQueryGpu());
    }

    /** The {@code --help-query-gpu} section of the machine's capture file, byte for byte. */
    public static String helpOf(String machine) {
        String capture = Fixtures.read("nvidia-smi-captures/" + machine + ".txt");
        String marker = "# $ nvidia-smi --help-query-gpu\n";
        int start = capture.indexOf(marker);
        if (start < 0) {
            fail(machine + " has no --help-query-gpu section");
        }
        start = capture.indexOf("\n", capture.indexOf("#####", start + marker.length())) + 1;
        int end = capture.indexOf("\n\n####", start);
        return capture.substring(start, end) + "\n";
    }

    /** The captured CSV cut to the given fields, as nvidia-smi prints it when asked for just those. */
    public static String select(String csv, List<String> fields) {
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].split(",", -1)).stream().map(String::trim).toList();
        Map<String, Integer> column = new java.util.HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            column.put(header.get(i).split(" ")[0], i);
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            List<String> values = List.of(line.split(",", -1));
            out.append(String.join(", ", fields.stream().map(field -> values.get(column.get(field)).trim()).toList())).append('\n');
        }
        return out.toString();
    }
}
