package ai.chutes.status.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses {@code nvidia-smi --query-gpu=<fields> --format=csv}: a header naming each asked field (with its
 * unit), then one line per GPU. Values are split on commas and trimmed, as nvidia_gpu_exporter does
 * (nvidia-smi does not quote). A header that does not match the asked fields gives no rows; a line
 * with the wrong number of values (an error message, a line cut short) is skipped on its own.
 */
public final class GpuQueryParser {

    private static final Logger LOG = LoggerFactory.getLogger(GpuQueryParser.class);

    private GpuQueryParser() {
    }

    /**
     * @param cutShort the output hit the byte cap, so its last line may be incomplete and is dropped
     */
    public static GpuTable parse(String output, boolean cutShort, List<String> fields) {
        List<String> lines = new ArrayList<>(List.of(output.split("\r?\n", -1)));
        if (cutShort && !output.endsWith("\n")) {
            // The cap cut the last line, maybe mid-value ("815" of "81559"): it is not a reading.
            lines.remove(lines.size() - 1);
        }
        lines.removeIf(String::isBlank);
        if (lines.isEmpty()) {
            return new GpuTable(fields, List.of(), List.of());
        }
        List<String> headers = split(lines.get(0));
        if (!matches(headers, fields)) {
            LOG.warn("the nvidia-smi --query-gpu header does not name the {} fields asked for", fields.size());
            return new GpuTable(fields, List.of(), List.of());
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> values = split(line);
            if (values.size() != fields.size()) {
                LOG.warn("skipping a nvidia-smi --query-gpu line with {} values instead of {}", values.size(), fields.size());
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                row.put(fields.get(i), values.get(i));
            }
            rows.add(row);
        }
        return new GpuTable(fields, headers, rows);
    }

    /** Each header is the asked field, alone or followed by its unit ({@code power.draw [W]}). */
    private static boolean matches(List<String> headers, List<String> fields) {
        if (headers.size() != fields.size()) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            if (!headers.get(i).split(" ", -1)[0].equals(fields.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> split(String line) {
        List<String> values = new ArrayList<>();
        for (String value : line.split(",", -1)) {
            values.add(value.trim());
        }
        return values;
    }
}
