package ai.chutes.status.settings;

import io.micronaut.core.type.Argument;
import io.micronaut.core.value.PropertyResolver;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of {@code status.*} properties that refuse a malformed value with the key named. Each
 * capability reads its own keys through this (its settings record's {@code read}); config/ assembles.
 */
public final class TypedProperties {

    private final PropertyResolver properties;
    private final UserPrincipalLookupService principals = FileSystems.getDefault().getUserPrincipalLookupService();

    public TypedProperties(PropertyResolver properties) {
        this.properties = properties;
    }

    /** The refusal every reader throws: one sentence naming the key, which start-up prints as one line. */
    public static InvalidConfigurationException invalid(String message) {
        return new InvalidConfigurationException(message);
    }

    public String string(String key, String fallback) {
        return properties.getProperty(key, String.class).map(String::trim).orElse(fallback);
    }

    public boolean bool(String key, boolean fallback) {
        return bool(key, string(key, Boolean.toString(fallback)));
    }

    /** {@code raw} as true or false (any case), else refused under {@code key}. */
    public static boolean bool(String key, String raw) {
        String text = raw.trim().toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw invalid(key + " must be true or false, got '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    public double number(String key, double fallback) {
        Optional<String> raw = properties.getProperty(key, String.class).map(String::trim);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(raw.get());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid(key + " must be a number, got '" + raw.get() + "'");
    }

    public Optional<Integer> integer(String key) {
        Optional<String> raw = properties.getProperty(key, String.class).map(String::trim);
        try {
            return raw.map(Integer::parseInt);
        } catch (NumberFormatException e) {
            throw invalid(key + " must be a whole number, got '" + raw.get() + "'");
        }
    }

    public int integer(String key, int fallback) {
        return integer(key).orElse(fallback);
    }

    public Duration duration(String key, Duration fallback) {
        Optional<String> raw = properties.getProperty(key, String.class);
        if (raw.isEmpty()) {
            return fallback;
        }
        return properties.getProperty(key, Duration.class).orElseThrow(() -> invalid(
                key + " must be a duration such as 500ms, 10s or 1m, got '" + raw.get() + "'"));
    }

    /** A duration no shorter than {@code minimum}. */
    public Duration atLeast(String key, Duration fallback, Duration minimum) {
        Duration value = duration(key, fallback);
        if (value.compareTo(minimum) < 0) {
            throw invalid(key + " must be at least " + minimum.toMillis() + "ms, got " + value.toMillis() + "ms");
        }
        return value;
    }

    /** A duration from {@code minimum} to {@code maximum}, both included. */
    public Duration between(String key, Duration fallback, Duration minimum, Duration maximum) {
        Duration value = duration(key, fallback);
        if (value.compareTo(minimum) < 0 || value.compareTo(maximum) > 0) {
            throw invalid(key + " must be between " + shortForm(minimum) + " and " + shortForm(maximum) + ", got " + value);
        }
        return value;
    }

    /** As a setting is written: 100ms, 0s, 10m, 1h. */
    private static String shortForm(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** A YAML list, or one comma-separated value (from -D or an environment variable); blanks dropped. */
    public List<String> list(String key) {
        return properties.getProperty(key, Argument.listOf(String.class)).orElse(List.of()).stream()
                .map(String::trim).filter(value -> !value.isEmpty()).toList();
    }

    /** A YAML list of maps (such as {@code status.services}), if the key is set at all. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Optional<List<Map<?, ?>>> maps(String key) {
        Optional<List<Map>> raw = properties.getProperty(key, Argument.listOf(Map.class));
        return raw.map(list -> (List<Map<?, ?>>) (List) list);
    }

    public Optional<Path> absolutePath(String key) {
        String raw = string(key, "");
        return raw.isEmpty() ? Optional.empty() : Optional.of(absolute(key, raw));
    }

    public static Path absolute(String key, String raw) {
        Path path = Path.of(raw);
        if (!path.isAbsolute()) {
            throw invalid(key + " must be an absolute path, got '" + raw + "'");
        }
        return path.normalize();
    }

    public static Path readableFile(String key, String raw) {
        Path path = absolute(key, raw);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw invalid(key + " is not a readable file: " + raw);
        }
        return path;
    }

    public boolean isSet(String key) {
        return properties.getProperty(key, String.class).map(String::trim).filter(value -> !value.isEmpty()).isPresent()
                || !list(key).isEmpty();
    }

    /** A user name, or a number (a uid need not have a name). */
    public UserPrincipal user(String key, String name) {
        try {
            return principals.lookupPrincipalByName(name);
        } catch (IOException e) {
            throw invalid(key + ": no user '" + name + "' on this host (give a name or a numeric uid)");
        }
    }

    public GroupPrincipal group(String key, String name) {
        try {
            return principals.lookupPrincipalByGroupName(name);
        } catch (IOException e) {
            throw invalid(key + ": no group '" + name + "' on this host (give a name or a numeric gid)");
        }
    }
}
