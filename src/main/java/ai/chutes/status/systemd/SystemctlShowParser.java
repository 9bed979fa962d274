package ai.chutes.status.systemd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code systemctl show} output: {@code Key=Value} lines in systemd's own order. Asked about
 * several units at once, systemctl prints one block per unit, in the order named, separated by a blank
 * line (a unit that does not exist still gets its block, with {@code LoadState=not-found}).
 */
public final class SystemctlShowParser {

    private SystemctlShowParser() {
    }

    /** The blocks of a multi-unit call, in output order; blank lines only separate them. */
    public static List<UnitStatus> parseUnits(String output) {
        List<UnitStatus> units = new ArrayList<>();
        StringBuilder block = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.isBlank()) {
                if (!block.isEmpty()) {
                    units.add(parse(block.toString()));
                    block.setLength(0);
                }
            } else {
                block.append(line).append('\n');
            }
        }
        if (!block.isEmpty()) {
            units.add(parse(block.toString()));
        }
        return units;
    }

    public static UnitStatus parse(String output) {
        Map<String, String> properties = new HashMap<>();
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                properties.putIfAbsent(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        return new UnitStatus(
                text(properties, "LoadState"),
                text(properties, "ActiveState"),
                text(properties, "SubState"),
                text(properties, "UnitFileState"),
                number(properties, "MainPID"),
                number(properties, "ExecMainCode"),
                number(properties, "ExecMainStatus"),
                number(properties, "NRestarts"),
                text(properties, "Result"));
    }

    private static String text(Map<String, String> properties, String key) {
        String value = properties.get(key);
        return value == null || value.isEmpty() ? null : value;
    }

    private static Integer number(Map<String, String> properties, String key) {
        String value = properties.get(key);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
