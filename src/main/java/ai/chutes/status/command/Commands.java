package ai.chutes.status.command;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Every argv the agent may run, mirroring the table in the contract. Arguments are either constants,
 * allowlisted unit names, or values already parsed into integers: never a client-supplied string.
 */
public final class Commands {

    /** A {@code --query-gpu} field name: letters, digits, '_' and '.' only (the field table's names). */
    private static final Pattern GPU_FIELD = Pattern.compile("[A-Za-z0-9_.]{1,128}");

    /** Room for the full-field query of 16 GPUs and for the field list: above the per-stream default. */
    static final int GPU_QUERY_BYTES = 256 * 1024;
    static final int KERNEL_JOURNAL_BYTES = 512 * 1024;

    private static final List<String> UNIT_PROPERTIES = List.of(
            "Id", "LoadState", "ActiveState", "SubState", "MainPID", "ExecMainStatus", "ExecMainCode",
            "UnitFileState", "NRestarts", "Result");

    private Commands() {
    }

    public static CommandRequest unitStatus(String allowlistedUnit) {
        return unitStatuses(List.of(allowlistedUnit));
    }

    /** One {@code systemctl show} for several units: it prints one block per unit, in this order. */
    public static CommandRequest unitStatuses(List<String> allowlistedUnits) {
        List<String> args = new ArrayList<>();
        args.add("show");
        args.addAll(allowlistedUnits);
        args.add("--no-pager");
        for (String property : UNIT_PROPERTIES) {
            args.add("--property=" + property);
        }
        return new CommandRequest(Program.SYSTEMCTL, args, OutputKeep.HEAD);
    }

    public static CommandRequest journalTail(String allowlistedUnit, int lines, OptionalLong sinceEpochSeconds) {
        List<String> args = new ArrayList<>(List.of(
                "--unit=" + allowlistedUnit, "--no-pager", "--output=short-iso", "--lines=" + lines));
        sinceEpochSeconds.ifPresent(epoch -> args.add("--since=@" + epoch));
        return new CommandRequest(Program.JOURNALCTL, args, OutputKeep.TAIL);
    }

    public static CommandRequest gpuReport(boolean detail, OptionalInt gpuIndex) {
        List<String> args = new ArrayList<>();
        if (detail) {
            args.add("-q");
        }
        gpuIndex.ifPresent(index -> {
            args.add("-i");
            args.add(Integer.toString(index));
        });
        return new CommandRequest(Program.NVIDIA_SMI, args, OutputKeep.HEAD);
    }

    /** The fields this nvidia-smi can be asked for; read once to learn what the driver supports. */
    public static CommandRequest gpuFieldHelp() {
        return new CommandRequest(Program.NVIDIA_SMI, List.of("--help-query-gpu"), OutputKeep.HEAD, GPU_QUERY_BYTES);
    }

    /**
     * The GPU metrics query, in nvidia_gpu_exporter's form ({@code --format=csv}: a header with units,
     * values with units). The fields come from the GPU field table, never from a client.
     */
    public static CommandRequest gpuQuery(List<String> fields) {
        if (fields.isEmpty() || !fields.stream().allMatch(field -> GPU_FIELD.matcher(field).matches())) {
            throw new IllegalArgumentException("not a list of GPU field names");
        }
        return new CommandRequest(Program.NVIDIA_SMI,
                List.of("--query-gpu=" + String.join(",", fields), "--format=csv"), OutputKeep.HEAD, GPU_QUERY_BYTES);
    }

    /** The kernel messages of this boot, newest kept, where the NVIDIA driver logs its XID errors. */
    public static CommandRequest kernelXids() {
        return new CommandRequest(Program.JOURNALCTL,
                List.of("--dmesg", "--boot=0", "--no-pager", "--output=short-unix", "--lines=2000"),
                OutputKeep.TAIL, KERNEL_JOURNAL_BYTES);
    }
}
