package ai.chutes.status.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one GPU field table. Every field is written once, in {@code gpu-fields.tsv}: the {@code --query-gpu}
 * argv, the parser's columns, the metric help and the typed {@code gpus} JSON (and through a test, its
 * schema) all follow from it. The metric name and unit multiplier follow from nvidia-smi's own CSV
 * header ({@link ExporterNaming}). The table is also the allowlist: the agent never asks for a field that
 * is not in it, whatever the installed nvidia-smi lists.
 */
public final class GpuFieldTable {

    /** A field name as {@code --help-query-gpu} lists it: a quoted name opening a paragraph. */
    private static final Pattern LISTED = Pattern.compile("\\n\\s*\\n^\"([^\"]+)\"", Pattern.MULTILINE);

    private static final List<GpuField> FIELDS = load();
    private static final Map<String, GpuField> BY_QUERY = index();

    private GpuFieldTable() {
    }

    public static List<GpuField> all() {
        return FIELDS;
    }

    public static Optional<GpuField> field(String query) {
        return Optional.ofNullable(BY_QUERY.get(query));
    }

    /** The typed fields: what the agent asks for when it cannot learn what the driver supports. */
    public static List<String> typedQueries() {
        return FIELDS.stream().filter(GpuField::typed).map(GpuField::query).toList();
    }

    /**
     * The table's fields that {@code nvidia-smi --help-query-gpu} lists, in table order. Extracted the
     * way nvidia_gpu_exporter does it (the first quoted name of each paragraph), so an alias such as
     * {@code "name" or "gpu_name"} counts once, under its first name.
     */
    public static List<String> supported(String helpQueryGpu) {
        Set<String> listed = new java.util.HashSet<>();
        Matcher matcher = LISTED.matcher(helpQueryGpu);
        while (matcher.find()) {
            listed.add(matcher.group(1));
        }
        return FIELDS.stream().map(GpuField::query).filter(listed::contains).toList();
    }

    private static List<GpuField> load() {
        try (InputStream in = GpuFieldTable.class.getResourceAsStream("gpu-fields.tsv")) {
            if (in == null) {
                throw new IllegalStateException("gpu-fields.tsv is missing from the jar");
            }
            List<GpuField> fields = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                if (columns.length != 3 || !columns[0].matches("[A-Za-z0-9_.]+")) {
                    throw new IllegalStateException("bad row in gpu-fields.tsv: " + line);
                }
                fields.add(new GpuField(columns[0], columns[1].equals("-") ? null : columns[1], columns[2]));
            }
            return List.copyOf(fields);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read gpu-fields.tsv", e);
        }
    }

    private static Map<String, GpuField> index() {
        Map<String, GpuField> byQuery = new LinkedHashMap<>();
        for (GpuField field : FIELDS) {
            if (byQuery.put(field.query(), field) != null) {
                throw new IllegalStateException("gpu-fields.tsv lists " + field.query() + " twice");
            }
        }
        return Map.copyOf(byQuery);
    }
}
