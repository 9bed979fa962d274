package ai.chutes.status;

import io.micronaut.context.env.AbstractPropertySourceLoader;
import io.micronaut.context.env.PropertySource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Micronaut's own settings for the agent ({@link #RESOURCE}), as the property source a classpath
 * {@code application.properties} would be, at its precedence: config files, environment variables and
 * -D still override each key. Not {@code application.properties} itself: Micronaut reads that by opening
 * the jar as a zip file system, which parses the central directory of all its ~11,000 entries again,
 * interpreted, before the first answer; this reads the file through the class loader's open jar.
 */
final class MicronautDefaults {

    static final String RESOURCE = "META-INF/system-status/micronaut.properties";

    private MicronautDefaults() {
    }

    static PropertySource propertySource() {
        Properties file = new Properties();
        try (InputStream in = MicronautDefaults.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        Map<String, Object> settings = new HashMap<>();
        file.forEach((key, value) -> settings.put((String) key, value));
        return PropertySource.of("system-status-micronaut", settings, AbstractPropertySourceLoader.DEFAULT_POSITION);
    }
}
