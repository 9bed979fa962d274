package ai.chutes.status.config;

import io.micronaut.core.type.Argument;
import io.micronaut.core.value.PropertyResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Typed reads of {@code status.*} properties that refuse a malformed value with the key named. */
final class TypedProperties {

    private final PropertyResolver properties;

    TypedProperties(PropertyResolver properties) {
        this.properties = properties;
    }

    String string(String key, String fallback) {
        return properties.getProperty(key, String.class).map(String::trim).orElse(fallback);
    }

    boolean bool(String key, boolean fallback) {
        String raw = string(key, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
        if (!raw.equals("true") && !raw.equals("false")) {
            throw new InvalidConfigurationException(key + " must be true or false, got '" + raw + "'");
        }
        return Boolean.parseBoolean(raw);
    }

    double number(String key, double fallback) {
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
        throw new InvalidConfigurationException(key + " must be a number, got '" + raw.get() + "'");
    }

    Optional<Integer> integer(String key) {
        Optional<String> raw = properties.getProperty(key, String.class).map(String::trim);
        try {
            return raw.map(Integer::parseInt);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(key + " must be a whole number, got '" + raw.get() + "'");
        }
    }

    Duration duration(String key, Duration fallback) {
        Optional<String> raw = properties.getProperty(key, String.class);
        if (raw.isEmpty()) {
            return fallback;
        }
        return properties.getProperty(key, Duration.class).orElseThrow(() -> new InvalidConfigurationException(
                key + " must be a duration such as 500ms, 10s or 1m, got '" + raw.get() + "'"));
    }

    /** A YAML list, or one comma-separated value (from -D or an environment variable); blanks dropped. */
    List<String> list(String key) {
        return properties.getProperty(key, Argument.listOf(String.class)).orElse(List.of()).stream()
                .map(String::trim).filter(value -> !value.isEmpty()).toList();
    }

    Optional<Path> absolutePath(String key) {
        String raw = string(key, "");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(raw);
        if (!path.isAbsolute()) {
            throw new InvalidConfigurationException(key + " must be an absolute path, got '" + raw + "'");
        }
        return Optional.of(path.normalize());
    }

    boolean isSet(String key) {
        return properties.getProperty(key, String.class).map(String::trim).filter(value -> !value.isEmpty()).isPresent()
                || !list(key).isEmpty();
    }
}
