package ai.chutes.status.gpu;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NVIDIA XID errors in {@code journalctl -k --output=short-unix}: lines such as
 * {@code 1732990000.123456 host kernel: NVRM: Xid (PCI:0000:3b:00): 79, pid=..., GPU has fallen off the bus.}
 * Only the PCI address, the XID number and the time are kept: no other text of the journal ever
 * leaves this class. {@code counts} is keyed by PCI address ({@code 0000:3b:00}, lower case), then XID.
 */
public record XidEvents(Map<String, Map<Integer, XidCount>> counts) {

    /** XIDs after which the GPU is not fit for work until it is reset or the node rebooted. */
    public static final Set<Integer> FATAL = Set.of(48, 63, 64, 74, 79, 94, 95, 119, 120);

    private static final Pattern LINE = Pattern.compile(
            "^(\\d+)(?:\\.(\\d{1,9}))?\\s.*?NVRM: Xid \\(PCI:([0-9A-Fa-f]{4,8}):([0-9A-Fa-f]{2}):([0-9A-Fa-f]{2})(?:\\.[0-9A-Fa-f])?\\): (\\d{1,5})\\b");

    /** How many times one XID was logged for one GPU, and the time of the last one (Unix seconds). */
    public record XidCount(int xid, long count, double lastSeconds) {
    }

    public XidEvents {
        counts = Map.copyOf(counts);
    }

    public static XidEvents none() {
        return new XidEvents(Map.of());
    }

    public static XidEvents parse(String journal) {
        Map<String, Map<Integer, XidCount>> counts = new TreeMap<>();
        for (String line : journal.split("\n")) {
            Matcher match = LINE.matcher(line);
            if (!match.find()) {
                continue;
            }
            double seconds = Long.parseLong(match.group(1))
                    + (match.group(2) == null ? 0 : Double.parseDouble("0." + match.group(2)));
            String domain = match.group(3);
            String address = (domain.substring(domain.length() - 4) + ":" + match.group(4) + ":" + match.group(5))
                    .toLowerCase(Locale.ROOT);
            int xid = Integer.parseInt(match.group(6));
            counts.computeIfAbsent(address, ignored -> new TreeMap<>())
                    .merge(xid, new XidCount(xid, 1, seconds),
                            (old, added) -> new XidCount(xid, old.count() + 1, Math.max(old.lastSeconds(), seconds)));
        }
        Map<String, Map<Integer, XidCount>> frozen = new TreeMap<>();
        counts.forEach((address, byXid) -> frozen.put(address, Map.copyOf(byXid)));
        return new XidEvents(frozen);
    }

    /** The XIDs logged for the GPU at this nvidia-smi {@code pci.bus_id} ({@code 00000000:3B:00.0}). */
    public List<XidCount> forBusId(String pciBusId) {
        if (pciBusId == null) {
            return List.of();
        }
        return counts.getOrDefault(address(pciBusId), Map.of()).values().stream()
                .sorted(java.util.Comparator.comparingInt(XidCount::xid)).toList();
    }

    public static String address(String pciBusId) {
        String[] parts = pciBusId.toLowerCase(Locale.ROOT).split(":");
        if (parts.length != 3 || parts[0].length() < 4) {
            return pciBusId.toLowerCase(Locale.ROOT);
        }
        return parts[0].substring(parts[0].length() - 4) + ":" + parts[1] + ":" + parts[2].split("\\.")[0];
    }
}
