package ai.chutes.status.metrics;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape in the Prometheus text format, read back: every sample under a canonical series key
 * ({@code name{a="1",b="2"}} with labels sorted, or the bare name), and the {@code # TYPE} of each family.
 */
record Exposition(Map<String, Double> samples, Map<String, String> types) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    static Exposition parse(String text) {
        Map<String, Double> samples = new TreeMap<>();
        Map<String, String> types = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Double previous = samples.put(key(sample.group(1), labels(sample.group(3))), number(sample.group(4)));
            if (previous != null) {
                throw new AssertionError("series written twice: " + line);
            }
        }
        return new Exposition(samples, types);
    }

    /** The canonical key of a series, e.g. {@code series("nvidia_smi_pstate", "uuid", "GPU-1")}. */
    static String series(String name, String... labelNamesAndValues) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelNamesAndValues.length; i += 2) {
            labels.put(labelNamesAndValues[i], labelNamesAndValues[i + 1]);
        }
        return key(name, labels);
    }

    double value(String series) {
        Double value = samples.get(series);
        assertNotNull(value, "no sample " + series + " in the scrape; it has " + samples.keySet());
        return value;
    }

    /** The samples of every family whose name starts with the prefix. */
    Map<String, Double> startingWith(String prefix) {
        Map<String, Double> matching = new TreeMap<>();
        samples.forEach((series, value) -> {
            if (series.startsWith(prefix)) {
                matching.put(series, value);
            }
        });
        return matching;
    }

    /** The distinct sample names (without labels). */
    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.keySet().forEach(series -> names.add(series.contains("{") ? series.substring(0, series.indexOf('{')) : series));
        return names;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        if (text == null) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int end = 0;
        while (label.find() && label.start() == end) {
            labels.put(label.group(1), label.group(2));
            end = label.end();
        }
        if (end != text.length()) {
            throw new AssertionError("unreadable labels: {" + text + "}");
        }
        return labels;
    }

    private static String key(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder key = new StringBuilder(name).append('{');
        labels.forEach((label, value) -> key.append(label).append("=\"").append(value).append("\","));
        key.setLength(key.length() - 1);
        return key.append('}').toString();
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
