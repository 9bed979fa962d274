package ai.chutes.status.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The build takes client_java's text formats without its protobuf format (src/pom.xml excludes the module
 * that adds it), and names the text formats' version itself: it must stay the version of the rest of
 * client_java that Micrometer brings, or a platform upgrade would mix two client_java versions.
 */
class PrometheusModulesTest {

    @Test
    void theTextFormatsAreTheVersionOfTheClientJavaMicrometerBrings() {
        String textFormats = version("prometheus-metrics-exposition-textformats");
        assertEquals(version("prometheus-metrics-core"), textFormats);
        assertEquals(version("prometheus-metrics-model"), textFormats);
    }

    @Test
    void onlyTheTextFormatsAreOnTheClassPath() {
        ExpositionFormats formats = ExpositionFormats.init();
        assertFalse(formats.getPrometheusProtobufWriter().isAvailable(), "the shaded protobuf module came back");
        assertNotNull(formats.findWriter("text/plain; version=0.0.4"));
    }

    private static String version(String artifact) {
        String path = "META-INF/maven/io.prometheus/" + artifact + "/pom.properties";
        try (InputStream in = PrometheusModulesTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, path);
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
