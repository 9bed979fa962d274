package ai.chutes.status.gpu;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nvidia_gpu_exporter's rules for turning a {@code --query-gpu --format=csv} column into a metric, so the
 * agent's series carry the exporter's names and values and its dashboards work unchanged. Ported from
 * utkuozdemir/nvidia_gpu_exporter (MIT): internal/exporter/exporter.go (knownUnitSuffixes,
 * BuildFQNameAndMultiplier), internal/nvidiasmi/transform.go (TransformFieldValue) and
 * internal/util/util.go (ToSnakeCase), as stored at the commit its captures come from
 * (0eee0d3187e2f014f1ba6736fd729a195e13a8c8 era; see docs/gpu-metrics.md).
 */
public final class ExporterNaming {

    public static final String PREFIX = "nvidia_smi_";

    /** A metric name and the factor that turns the column's unit into the metric's base unit. */
    public record MetricName(String name, double multiplier) {
    }

    private record Unit(String suffix, String nameSuffix, double multiplier) {
    }

    private static final List<Unit> UNITS = List.of(
            new Unit(" [W]", "_watts", 1), new Unit(" [MHz]", "_clock_hz", 1_000_000),
            new Unit(" [MiB]", "_bytes", 1_048_576), new Unit(" [%]", "_ratio", 0.01),
            new Unit(" [us]", "_seconds", 0.000001), new Unit(" [ms]", "_seconds", 0.001),
            new Unit(" [seconds]", "_seconds", 1), new Unit(" [W/s]", "_watts_per_second", 1));

    private static final Pattern FIRST_CAP = Pattern.compile("(.)([A-Z][a-z]+)");
    private static final Pattern ALL_CAP = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern INVALID_RUNS = Pattern.compile("[^a-zA-Z0-9_:]+");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d*[.])?\\d+");

    /** Fields whose value is an NVML enum word; anything else in them is no reading. */
    private static final Map<String, Map<String, Double>> ENUMS = Map.of(
            "gpu_recovery_action", Map.of("none", 0.0, "gpu reset", 1.0, "reset", 1.0, "node reboot", 2.0,
                    "reboot", 2.0, "drain p2p", 3.0, "drain and reset", 4.0),
            "fabric.state", Map.of("not supported", 0.0, "not started", 1.0, "in progress", 2.0, "completed", 3.0));

    private static final Map<String, Double> WORDS = Map.of("enabled", 1.0, "yes", 1.0, "active", 1.0,
            "disabled", 0.0, "no", 0.0, "not active", 0.0, "default", 0.0,
            "exclusive_thread", 1.0, "prohibited", 2.0, "exclusive_process", 3.0);

    private ExporterNaming() {
    }

    /** The metric for a CSV header column such as {@code memory.used [MiB]}. */
    public static MetricName name(String header) {
        String transformed = header;
        double multiplier = 1;
        String first = header.split(" ", -1)[0];
        for (Unit unit : UNITS) {
            if (header.endsWith(unit.suffix())) {
                transformed = first + unit.nameSuffix();
                multiplier = unit.multiplier();
                break;
            }
        }
        transformed = snakeCase(transformed.replace('.', '_')).replace(" [", "_").replace("]", "");
        transformed = INVALID_RUNS.matcher(transformed).replaceAll("_");
        return new MetricName(PREFIX + transformed, multiplier);
    }

    /** The value of one cell in the metric's base unit, or null when it is no reading ({@code [N/A]}, ...). */
    public static Double value(String query, String raw, double multiplier) {
        String trimmed = raw.trim();
        Map<String, Double> enumeration = ENUMS.get(query);
        if (enumeration != null) {
            return enumeration.get(trimmed.toLowerCase(Locale.ROOT));
        }
        if (trimmed.startsWith("0x")) {
            try {
                return (double) Long.parseUnsignedLong(trimmed.substring(2), 16);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        Double word = WORDS.get(lower);
        if (word != null) {
            return word;
        }
        Matcher numbers = NUMBER.matcher(lower);
        if (!numbers.find()) {
            return null;
        }
        String number = numbers.group();
        if (numbers.find()) {
            return null;
        }
        return Double.parseDouble(number) * multiplier;
    }

    /**
     * Whether {@code promtool check metrics} accepts the name for a gauge. A few of the exporter's names
     * fail its lint ({@code nvidia_smi_count}, {@code nvidia_smi_encoder_stats_session_count}: a
     * {@code _count} suffix outside a histogram; {@code nvidia_smi_remapped_rows_histogram_*}: a type in
     * the name); the agent leaves those out, and no public dashboard or rule uses them.
     */
    public static boolean lintClean(String name) {
        return !name.endsWith("_count") && !name.endsWith("_sum") && !name.endsWith("_bucket")
                && !LINT_TYPE_WORD.matcher(name).find();
    }

    private static final Pattern LINT_TYPE_WORD = Pattern.compile("(^|_)(histogram|summary|gauge|counter)(_|$)");

    /** The exporter's {@code uuid} label: lower case, without the {@code GPU-} prefix. */
    public static String uuidLabel(String uuid) {
        String lower = uuid.toLowerCase(Locale.ROOT);
        return lower.startsWith("gpu-") ? lower.substring(4) : lower;
    }

    private static String snakeCase(String text) {
        String snake = FIRST_CAP.matcher(text).replaceAll("$1_$2");
        snake = ALL_CAP.matcher(snake).replaceAll("$1_$2");
        return snake.toLowerCase(Locale.ROOT);
    }
}
