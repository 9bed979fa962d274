package ai.chutes.status.systemd;

import java.util.ArrayList;
import java.util.List;

/** Splits {@code journalctl --output=short-iso} output into lines, newest last. */
public final class JournalParser {

    private static final String NO_ENTRIES = "-- No entries --";

    private JournalParser() {
    }

    /**
     * @param truncatedAtStart the output was cut to its tail, so the first line may be partial and is dropped
     * @param maxLines         multi-line messages can print more lines than entries; keep only the newest
     */
    public static List<String> lines(String output, boolean truncatedAtStart, int maxLines) {
        List<String> lines = new ArrayList<>(List.of(output.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (truncatedAtStart && !lines.isEmpty()) {
            lines.remove(0);
        }
        lines.removeIf(line -> line.equals(NO_ENTRIES));
        if (lines.size() > maxLines) {
            return List.copyOf(lines.subList(lines.size() - maxLines, lines.size()));
        }
        return List.copyOf(lines);
    }
}
