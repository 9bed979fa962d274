package ai.chutes.status.metrics;

import ai.chutes.status.settings.TypedProperties;
import java.time.Duration;

/**
 * How often a scrape of {@code /metrics} may start commands: at most one set per {@code minInterval};
 * scrapes in between are answered from the last collection.
 */
public record MetricsSettings(Duration minInterval) {

    /** {@code status.metrics.min-interval}: 0s to 1h, 10s by default. */
    public static MetricsSettings read(TypedProperties properties) {
        return new MetricsSettings(properties.between("status.metrics.min-interval", Duration.ofSeconds(10),
                Duration.ZERO, Duration.ofHours(1)));
    }
}
