package ai.chutes.status.gpu;

import java.util.Locale;

/**
 * Reads one nvidia-smi value, as printed by {@code --query-gpu} or {@code -q}, into a number in base
 * units or null. Every value nvidia-smi prints instead of a reading ({@code N/A}, {@code [N/A]},
 * {@code [Not Supported]}, {@code [Unknown Error]}, {@code ERR!}, {@code Requested functionality has
 * been deprecated}, ...) is not a number, so it becomes null for that one field.
 */
final class GpuValues {

    private static final long MIB = 1024L * 1024L;
    private static final long MHZ = 1_000_000L;

    private GpuValues() {
    }

    /** The text, or null when it is one of nvidia-smi's "no value" markers. */
    static String text(String raw) {
        if (raw == null) {
            return null;
        }
        String value = raw.trim();
        if (value.isEmpty() || value.equals("N/A") || value.equals("ERR!")
                || (value.startsWith("[") && value.endsWith("]"))) {
            return null;
        }
        return value;
    }

    /** A plain number, with an optional trailing unit word dropped ({@code "41 C"}, {@code "69.85 W"}). */
    static Double number(String raw, String unit) {
        String value = text(raw);
        if (value == null) {
            return null;
        }
        if (unit != null && value.endsWith(unit)) {
            value = value.substring(0, value.length() - unit.length()).trim();
        }
        try {
            double number = Double.parseDouble(value);
            return Double.isFinite(number) ? number : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Double percentAsRatio(String raw) {
        Double percent = number(raw, "%");
        return percent == null ? null : percent / 100.0;
    }

    static Long mibAsBytes(String raw) {
        Double mib = number(raw, "MiB");
        return mib == null ? null : Math.round(mib * MIB);
    }

    static Long mhzAsHz(String raw) {
        Double mhz = number(raw, "MHz");
        return mhz == null ? null : Math.round(mhz * MHZ);
    }

    static Long count(String raw) {
        Double count = number(raw, null);
        return count == null || count < 0 || count != Math.rint(count) ? null : count.longValue();
    }

    static Integer integer(String raw) {
        Long value = count(raw);
        return value == null || value > Integer.MAX_VALUE ? null : value.intValue();
    }

    /** {@code P0}..{@code P15} as 0..15; {@code P?} or anything else is unknown. */
    static Integer pstate(String raw) {
        String value = text(raw);
        if (value == null || value.length() < 2 || Character.toUpperCase(value.charAt(0)) != 'P') {
            return null;
        }
        Integer state = integer(value.substring(1));
        return state != null && state <= 15 ? state : null;
    }

    static String key(String raw) {
        return raw.trim().toLowerCase(Locale.ROOT);
    }
}
