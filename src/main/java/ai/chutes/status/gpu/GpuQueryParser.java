package ai.chutes.status.gpu;

import ai.chutes.status.command.Commands;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses {@code nvidia-smi --query-gpu=<Commands.GPU_QUERY_FIELDS> --format=csv,noheader,nounits}: one
 * line per GPU, values in the order of the field list. A line with the wrong number of values (an
 * error message, a line cut short) is skipped on its own; a value that is not a reading is null on its
 * own; neither affects the other GPUs or fields.
 */
public final class GpuQueryParser {

    private static final Logger LOG = LoggerFactory.getLogger(GpuQueryParser.class);
    private static final List<String> FIELDS = Commands.GPU_QUERY_FIELDS;

    private GpuQueryParser() {
    }

    /**
     * @param cutShort the output hit the byte cap, so its last line may be incomplete and is dropped
     */
    public static List<GpuSample> parse(String output, boolean cutShort) {
        List<String> lines = new ArrayList<>(List.of(output.split("\r?\n", -1)));
        if (cutShort && !output.endsWith("\n")) {
            // The cap cut the last line, maybe mid-value ("815" of "81559"): it is not a reading.
            lines.remove(lines.size() - 1);
        }
        List<GpuSample> samples = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] values = line.split(",", -1);
            if (values.length != FIELDS.size()) {
                LOG.warn("skipping a nvidia-smi --query-gpu line with {} values instead of {}", values.length, FIELDS.size());
                continue;
            }
            samples.add(sample(values));
        }
        return List.copyOf(samples);
    }

    private static GpuSample sample(String[] values) {
        return new GpuSample(
                GpuValues.integer(value(values, "index")),
                GpuValues.text(value(values, "uuid")),
                GpuValues.text(value(values, "name")),
                GpuValues.text(value(values, "pci.bus_id")),
                GpuValues.text(value(values, "driver_version")),
                GpuValues.text(value(values, "vbios_version")),
                GpuValues.text(value(values, "compute_cap")),
                GpuValues.percentAsRatio(value(values, "utilization.gpu")),
                GpuValues.percentAsRatio(value(values, "utilization.memory")),
                GpuValues.mibAsBytes(value(values, "memory.total")),
                GpuValues.mibAsBytes(value(values, "memory.used")),
                GpuValues.mibAsBytes(value(values, "memory.free")),
                GpuValues.number(value(values, "temperature.gpu"), null),
                GpuValues.number(value(values, "power.draw"), null),
                GpuValues.number(value(values, "enforced.power.limit"), null),
                GpuValues.mhzAsHz(value(values, "clocks.current.sm")),
                GpuValues.mhzAsHz(value(values, "clocks.current.memory")),
                GpuValues.mhzAsHz(value(values, "clocks.current.graphics")),
                GpuValues.pstate(value(values, "pstate")),
                GpuValues.count(value(values, "ecc.errors.corrected.volatile.total")),
                GpuValues.count(value(values, "ecc.errors.uncorrected.volatile.total")),
                GpuValues.count(value(values, "ecc.errors.corrected.aggregate.total")),
                GpuValues.count(value(values, "ecc.errors.uncorrected.aggregate.total")));
    }

    private static String value(String[] values, String field) {
        return values[FIELDS.indexOf(field)].trim();
    }
}
