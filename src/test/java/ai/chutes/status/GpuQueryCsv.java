package ai.chutes.status;

import static org.junit.jupiter.api.Assertions.fail;

import ai.chutes.status.command.Commands;
import ai.chutes.status.gpu.GpuSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Test inputs in the agent's own {@code --query-gpu=<Commands.GPU_QUERY_FIELDS>
 * --format=csv,noheader,nounits} form, derived from real captures without inventing values.
 */
public final class GpuQueryCsv {

    private static final long MIB = 1024L * 1024L;

    private GpuQueryCsv() {
    }

    /**
     * Turns a captured {@code --format=csv} file (header row, values with units) into what the agent's
     * call prints: the header is dropped, each of our fields is taken from the column of the same name,
     * and the unit the header names ({@code memory.total [MiB]}) is stripped from the value
     * ({@code 81559 MiB} becomes {@code 81559}), exactly as {@code nounits} does. A field the capture
     * lacks fails the test rather than being made up.
     */
    public static String fromCapturedCsv(String fixture) {
        String[] lines = Fixtures.read(fixture).split("\n");
        String[] header = lines[0].split(",");
        Map<String, Integer> columns = new HashMap<>();
        Map<Integer, String> units = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            String name = header[i].trim();
            int bracket = name.indexOf(" [");
            if (bracket > 0) {
                units.put(i, name.substring(bracket + 2, name.length() - 1));
                name = name.substring(0, bracket);
            }
            columns.put(name, i);
        }
        StringBuilder out = new StringBuilder();
        for (int row = 1; row < lines.length; row++) {
            if (lines[row].isBlank()) {
                continue;
            }
            String[] values = lines[row].split(",");
            if (values.length != header.length) {
                fail(fixture + " row " + row + " has " + values.length + " values for " + header.length + " columns");
            }
            List<String> picked = new ArrayList<>();
            for (String field : Commands.GPU_QUERY_FIELDS) {
                Integer column = columns.get(field);
                if (column == null) {
                    fail(fixture + " has no column " + field);
                }
                String value = values[column].trim();
                String unit = units.get(column);
                if (unit != null && value.endsWith(" " + unit)) {
                    value = value.substring(0, value.length() - unit.length() - 1);
                }
                picked.add(value);
            }
            out.append(String.join(", ", picked)).append('\n');
        }
        return out.toString();
    }

    /**
     * Prints samples (e.g. parsed from a real multi-GPU {@code nvidia-smi -q} capture, for which no
     * CSV capture exists) the way the agent's call would print them; a null field prints as {@code [N/A]}.
     */
    public static String render(List<GpuSample> samples) {
        StringBuilder out = new StringBuilder();
        for (GpuSample gpu : samples) {
            out.append(String.join(", ", List.of(
                    text(gpu.index()), text(gpu.uuid()), text(gpu.name()), text(gpu.pciBusId()), text(gpu.driverVersion()),
                    text(gpu.vbiosVersion()), text(gpu.computeCap()),
                    percent(gpu.utilizationGpuRatio()), percent(gpu.utilizationMemoryRatio()),
                    mib(gpu.memoryTotalBytes()), mib(gpu.memoryUsedBytes()), mib(gpu.memoryFreeBytes()),
                    number(gpu.temperatureGpuCelsius()), number(gpu.powerDrawWatts()), number(gpu.enforcedPowerLimitWatts()),
                    mhz(gpu.clocksSmHz()), mhz(gpu.clocksMemoryHz()), mhz(gpu.clocksGraphicsHz()),
                    gpu.pstate() == null ? "[N/A]" : "P" + gpu.pstate(),
                    text(gpu.eccErrorsCorrectedVolatileTotal()), text(gpu.eccErrorsUncorrectedVolatileTotal()),
                    text(gpu.eccErrorsCorrectedAggregateTotal()), text(gpu.eccErrorsUncorrectedAggregateTotal()))))
                    .append('\n');
        }
        return out.toString();
    }

    private static String text(Object value) {
        return value == null ? "[N/A]" : value.toString();
    }

    private static String percent(Double ratio) {
        return ratio == null ? "[N/A]" : Long.toString(Math.round(ratio * 100));
    }

    private static String mib(Long bytes) {
        return bytes == null ? "[N/A]" : Long.toString(bytes / MIB);
    }

    private static String mhz(Long hz) {
        return hz == null ? "[N/A]" : Long.toString(hz / 1_000_000);
    }

    private static String number(Double value) {
        return value == null ? "[N/A]" : String.format(Locale.ROOT, "%.2f", value);
    }
}
