package ai.chutes.status.command;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Every argv the agent may run, mirroring the table in the contract. Arguments are either constants,
 * allowlisted unit names, or values already parsed into integers: never a client-supplied string.
 */
public final class Commands {

    /**
     * GPU fields for the cheap metrics query; the parser finds its columns by these names. The clocks use
     * their long names ({@code clocks.current.sm}, not the alias {@code clocks.sm}): the same names
     * nvidia-smi prints in a CSV header, so captured CSVs map onto this list by name.
     */
    public static final List<String> GPU_QUERY_FIELDS = List.of(
            "index", "uuid", "name", "pci.bus_id", "driver_version", "vbios_version", "compute_cap",
            "utilization.gpu", "utilization.memory", "memory.total", "memory.used", "memory.free",
            "temperature.gpu", "power.draw", "enforced.power.limit",
            "clocks.current.sm", "clocks.current.memory", "clocks.current.graphics",
            "pstate", "ecc.errors.corrected.volatile.total", "ecc.errors.uncorrected.volatile.total",
            "ecc.errors.corrected.aggregate.total", "ecc.errors.uncorrected.aggregate.total");

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

    public static CommandRequest gpuQuery() {
        return new CommandRequest(Program.NVIDIA_SMI,
                List.of("--query-gpu=" + String.join(",", GPU_QUERY_FIELDS), "--format=csv,noheader,nounits"),
                OutputKeep.HEAD);
    }
}
