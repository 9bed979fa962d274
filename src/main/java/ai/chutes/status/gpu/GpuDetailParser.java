package ai.chutes.status.gpu;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code nvidia-smi -q} text report into the same {@link GpuSample}s as the CSV query, so
 * captures that only exist in this form (8-GPU machines, MIG) feed the same records. Sections nest by
 * indentation; each value is found by its section path, e.g. {@code fb memory usage/used}, which keeps
 * the per-MIG-device sections ({@code mig device/shared fb memory usage/used}) out of the GPU's values.
 * {@code -q} does not print the compute capability, so that field is null.
 */
public final class GpuDetailParser {

    /** "Key<spaces>: value": the first colon that follows a space (values such as bus ids contain colons). */
    private static final Pattern KEY_VALUE = Pattern.compile("^(.+?)\\s+:(?:\\s(.*))?$");
    private static final Pattern GPU_HEADER = Pattern.compile("^GPU ([0-9A-Fa-f]+:[0-9A-Fa-f]+:[0-9A-Fa-f]+\\.[0-9A-Fa-f]+)$");

    private GpuDetailParser() {
    }

    public static List<GpuSample> parse(String output) {
        Map<String, String> global = new LinkedHashMap<>();
        List<Map<String, String>> gpus = new ArrayList<>();
        Map<String, String> gpu = null;
        Deque<Section> sections = new ArrayDeque<>();
        for (String rawLine : output.split("\n")) {
            String line = rawLine.stripTrailing();
            if (line.isBlank()) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            String content = line.strip();
            if (indent == 0) {
                Matcher header = GPU_HEADER.matcher(content);
                if (header.matches()) {
                    gpu = new LinkedHashMap<>();
                    gpu.put("header bus id", header.group(1));
                    gpus.add(gpu);
                    sections.clear();
                } else {
                    keyValue(content, global, "");
                    gpu = null;
                }
                continue;
            }
            if (gpu == null) {
                continue;
            }
            while (!sections.isEmpty() && sections.peek().indent() >= indent) {
                sections.pop();
            }
            String path = path(sections);
            if (!keyValue(content, gpu, path)) {
                sections.push(new Section(indent, GpuValues.key(content)));
            }
        }
        List<GpuSample> samples = new ArrayList<>(gpus.size());
        for (int i = 0; i < gpus.size(); i++) {
            samples.add(sample(i, gpus.get(i), global.get("driver version")));
        }
        return List.copyOf(samples);
    }

    /** Stores a "key : value" line under its path; false when the line is a section header. */
    private static boolean keyValue(String content, Map<String, String> into, String path) {
        Matcher matcher = KEY_VALUE.matcher(content);
        if (!matcher.matches()) {
            return false;
        }
        String value = matcher.group(2) == null ? "" : matcher.group(2).strip();
        into.putIfAbsent(path + GpuValues.key(matcher.group(1)), value);
        return true;
    }

    private static String path(Deque<Section> sections) {
        StringBuilder path = new StringBuilder();
        sections.descendingIterator().forEachRemaining(section -> path.append(section.name()).append('/'));
        return path.toString();
    }

    /** GPUs are listed in nvidia-smi's index order, so the position is the index (the minor number is not). */
    private static GpuSample sample(int index, Map<String, String> gpu, String driverVersion) {
        String busId = GpuValues.text(gpu.get("pci/bus id"));
        return new GpuSample(
                index,
                GpuValues.text(gpu.get("gpu uuid")),
                GpuValues.text(gpu.get("product name")),
                busId != null ? busId : gpu.get("header bus id"),
                GpuValues.text(driverVersion),
                GpuValues.text(gpu.get("vbios version")),
                null,
                GpuValues.percentAsRatio(gpu.get("utilization/gpu")),
                GpuValues.percentAsRatio(gpu.get("utilization/memory")),
                GpuValues.mibAsBytes(gpu.get("fb memory usage/total")),
                GpuValues.mibAsBytes(gpu.get("fb memory usage/used")),
                GpuValues.mibAsBytes(gpu.get("fb memory usage/free")),
                GpuValues.number(gpu.get("temperature/gpu current temp"), "C"),
                firstWatts(gpu, "gpu power readings/power draw", "gpu power readings/average power draw",
                        "gpu power readings/instantaneous power draw", "power readings/power draw"),
                firstWatts(gpu, "gpu power readings/current power limit", "gpu power readings/enforced power limit",
                        "power readings/enforced power limit"),
                GpuValues.mhzAsHz(gpu.get("clocks/sm")),
                GpuValues.mhzAsHz(gpu.get("clocks/memory")),
                GpuValues.mhzAsHz(gpu.get("clocks/graphics")),
                GpuValues.pstate(gpu.get("performance state")),
                eccTotal(gpu, "volatile", false),
                eccTotal(gpu, "volatile", true),
                eccTotal(gpu, "aggregate", false),
                eccTotal(gpu, "aggregate", true));
    }

    private static Double firstWatts(Map<String, String> gpu, String... paths) {
        for (String path : paths) {
            Double watts = GpuValues.number(gpu.get(path), "W");
            if (watts != null) {
                return watts;
            }
        }
        return null;
    }

    /**
     * Older drivers print per-location counts with a {@code Total} ({@code single bit/total} is
     * corrected, {@code double bit/total} uncorrected); newer ones print SRAM/DRAM counts only, whose
     * sum is the total. Unknown when any count that makes up the total is unknown.
     */
    private static Long eccTotal(Map<String, String> gpu, String scope, boolean uncorrected) {
        String prefix = "ecc errors/" + scope + "/";
        if (gpu.containsKey(prefix + "single bit/total")) {
            return GpuValues.count(gpu.get(prefix + (uncorrected ? "double bit/total" : "single bit/total")));
        }
        long sum = 0;
        boolean any = false;
        for (Map.Entry<String, String> entry : gpu.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(prefix) || key.indexOf('/', prefix.length()) >= 0) {
                continue;
            }
            String name = key.substring(prefix.length());
            boolean isUncorrected = name.contains("uncorrectable");
            if (!name.contains("correctable") || isUncorrected != uncorrected) {
                continue;
            }
            Long count = GpuValues.count(entry.getValue());
            if (count == null) {
                return null;
            }
            sum += count;
            any = true;
        }
        return any ? sum : null;
    }

    private record Section(int indent, String name) {
    }
}
