package ai.chutes.status.api;

import java.math.BigInteger;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Turns raw query strings into the typed values that may reach an argv. Anything that is not a plain
 * number (or the words allowed) is refused before any command is considered.
 */
final class QueryParameters {

    static final int DEFAULT_LINES = 200;
    static final int MAX_LINES = 1000;
    static final int MAX_SINCE_MINUTES = 1440;

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,64}");

    private QueryParameters() {
    }

    /** Defaults to 200; any integer is accepted and clamped to [1, 1000]. */
    static int lines(String raw) {
        if (raw == null) {
            return DEFAULT_LINES;
        }
        BigInteger value = integer("lines", raw);
        return value.max(BigInteger.ONE).min(BigInteger.valueOf(MAX_LINES)).intValueExact();
    }

    /** Optional; when present must be 1-1440. */
    static OptionalInt sinceMinutes(String raw) {
        if (raw == null) {
            return OptionalInt.empty();
        }
        BigInteger value = integer("since_minutes", raw);
        if (value.compareTo(BigInteger.ONE) < 0 || value.compareTo(BigInteger.valueOf(MAX_SINCE_MINUTES)) > 0) {
            throw new BadRequestException("since_minutes must be between 1 and " + MAX_SINCE_MINUTES);
        }
        return OptionalInt.of(value.intValueExact());
    }

    /** "all" (the default) or one non-negative GPU index. */
    static OptionalInt gpu(String raw) {
        if (raw == null || raw.equals("all")) {
            return OptionalInt.empty();
        }
        if (!INTEGER.matcher(raw).matches()) {
            throw new BadRequestException("gpu must be 'all' or a non-negative integer index");
        }
        BigInteger value = new BigInteger(raw);
        if (value.signum() < 0 || value.bitLength() > 31) {
            throw new BadRequestException("gpu must be 'all' or a non-negative integer index");
        }
        return OptionalInt.of(value.intValueExact());
    }

    /** false by default; accepts true/false, 1/0, yes/no, on/off. */
    static boolean detail(String raw) {
        if (raw == null) {
            return false;
        }
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new BadRequestException("detail must be true or false");
        };
    }

    private static BigInteger integer(String name, String raw) {
        if (!INTEGER.matcher(raw).matches()) {
            throw new BadRequestException(name + " must be an integer");
        }
        return new BigInteger(raw);
    }
}
